"""serverlab: WSGI and ASGI servers serving Django views and their database, on a virtual clock."""

from serverlab.describe import describe
from serverlab.display import show
from serverlab.errors import LabError
from serverlab.lab import simulate
from serverlab.model import RequestRecord, Result, Summary
from serverlab.scenario import DISPATCHES, SERVERS, schema
from serverlab.vclock import cpu
from serverlab.views import VIEW_KINDS, LabRequest, view_source

__all__ = [
    "DISPATCHES",
    "SERVERS",
    "VIEW_KINDS",
    "LabError",
    "LabRequest",
    "RequestRecord",
    "Result",
    "Summary",
    "cpu",
    "describe",
    "schema",
    "show",
    "simulate",
    "view_source",
]
