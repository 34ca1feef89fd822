"""The one exception the lab raises for bad parameters and misbehaving views."""

from typing import Any


class LabError(ValueError):
    """A parameter is out of range, or a view cannot be simulated; the message says why.

    `field` names the parameter at fault (None when it is the view's behaviour); `vi` is
    the message in Vietnamese, given where the lab's form can show it.
    """

    def __init__(self, message: str, field: str | None = None, *, vi: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.vi = vi

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data for the browser: the English message, the field, every language's text.

        The page shows `messages` in its own language: a rule such as "dispatch does not
        apply to gunicorn-sync" cannot be rebuilt from limits alone, so the vocabulary
        writes each message in both languages once, and the browser only picks one.
        """
        messages = {"en": self.message} if self.vi is None else {"vi": self.vi, "en": self.message}
        return {"message": self.message, "field": self.field, "messages": messages}
