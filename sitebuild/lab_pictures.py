"""Draw lab timelines at build time with the browser's own chart code, one Node run a batch.

The drawing lives once, in browser/lab-chart.js; sitebuild/bundle.py bundles it for Node
(LAB_PICTURES) and this module hands it every picture of a batch as JSON on stdin.
"""

import json
import re
import subprocess
from dataclasses import dataclass

from sitebuild.bundle import LAB_PICTURES


class PictureError(Exception):
    """The chart code could not draw: its bundle is missing or it failed."""


@dataclass(frozen=True)
class Picture:
    """One result to draw: a setup's simulated result, its title and its pattern ids."""

    data: dict
    language: str
    title: str
    prefix: str


def prefix(preset_name: str, index: int) -> str:
    """Pattern ids of a preset's setup: from its file name, so the same in every build.

    A page shows a preset once, and the browser's own charts use `lab1`, `lab2`...: the
    ids stay unique in the page.
    """
    stem = re.sub(r"[^A-Za-z0-9-]", "-", preset_name.removesuffix(".json"))
    return f"labpic-{stem}-{index + 1}"


def draw(pictures: list[Picture]) -> list[str]:
    """Each picture's static panel as one line of HTML, in order, from one Node process."""
    if not LAB_PICTURES.is_file():
        raise PictureError(f"{LAB_PICTURES} is missing: run `python -m sitebuild.bundle`")
    batch = [picture.__dict__ for picture in pictures]
    done = subprocess.run(
        ["node", str(LAB_PICTURES)],
        input=json.dumps(batch, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if done.returncode != 0:
        raise PictureError(f"the lab chart code failed: {done.stderr.strip()}")
    return json.loads(done.stdout)
