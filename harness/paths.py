"""Where the repository's folders are, for every harness module and its importers."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
# The Django demo project that the real servers run (config.wsgi / config.asgi).
PROJECT = SNIPPETS / "project"
