"""Debian's chromium as the browser tests and the benchmarks launch it through Playwright."""

import os
import shutil
from pathlib import Path

# The same rule as scripts/system-packages: $CHROMIUM, else `chromium` on PATH.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# What this network-less, GPU-less, often root machine needs; nothing that changes a page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Pyodide's first load in a cold browser takes seconds on a busy 2-core machine, not minutes.
PYTHON_TIMEOUT_MS = 60_000


class ChromiumMissing(RuntimeError):
    """CHROMIUM names no file: Debian's chromium is not installed (or CHROMIUM is wrong)."""


def launch_options() -> dict:
    """The keyword arguments of Playwright's `chromium.launch()` for this machine."""
    if not Path(CHROMIUM).exists():
        raise ChromiumMissing(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)"
        )
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
