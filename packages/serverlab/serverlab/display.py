"""Show a result: as text anywhere, and as the lab's chart when a page is listening."""

from collections.abc import Callable

from serverlab.describe import describe
from serverlab.model import Result
from serverlab.timeline import render_text

_hook: Callable[[dict], None] | None = None


def set_hook(hook: Callable[[dict], None] | None) -> None:
    """Called by the browser runner so that `show()` also draws the chart under a snippet."""
    global _hook
    _hook = hook


def show(result: Result, lang: str = "en", width: int = 60) -> None:
    """Print the summary and a text timeline; in the browser, draw the chart too."""
    print(describe(result, lang=lang))
    print(render_text(result, width=width))
    if _hook is not None:
        _hook(result.to_dict())
