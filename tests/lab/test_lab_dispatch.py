"""Server models and front-door policies: one per name of the lab's vocabulary."""

import json

import pytest
from serverlab import SERVERS, servers, simulate
from serverlab.dispatch import Dispatch
from serverlab.scenario import SERVER, takes


def test_every_server_of_the_vocabulary_has_a_model_and_every_model_a_server():
    assert set(servers.MODELS) == set(SERVERS)


@pytest.mark.parametrize("server", SERVERS)
def test_every_dispatch_name_of_a_server_has_a_policy_and_every_policy_a_name(server):
    names = set(SERVER[server].dispatches) or {None}  # None: the server has no choice
    policies = servers.model(server).policies
    assert set(policies) == names
    assert all(issubclass(policy, Dispatch) for policy in policies.values())


@pytest.mark.parametrize("server", [s for s in SERVERS if SERVER[s].dispatches])
def test_leaving_dispatch_out_runs_the_servers_first_dispatch(server):
    params = {"requests": 30, "workers": 3, "view": "sync-io", "rate_rps": 400}
    if takes(server, "threads"):
        params["threads"] = 2
    default = simulate(server, **params).to_dict()
    first = simulate(server, dispatch=SERVER[server].dispatches[0], **params).to_dict()
    assert json.dumps(default) == json.dumps(first)


def test_asgi_servers_and_gevent_run_requests_on_an_event_loop_or_hub():
    assert [s for s in SERVERS if servers.model(s).on_loop] == [
        "gunicorn-gevent",
        "gunicorn-asgi",
        "gunicorn-uvicorn",
        "uvicorn",
        "granian-asgi",
        "hypercorn",
        "daphne",
    ]
