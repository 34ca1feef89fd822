"""The one exception the lab raises for bad parameters and misbehaving views."""


class LabError(ValueError):
    """A parameter is out of range, or a view cannot be simulated; the message says why."""
