"""The table the build renders for a `.lab` preset: every server, database views, failures."""

import html
import json
import re

import pytest
from serverlab import simulate
from serverlab.scenario import LABELS, LANGUAGES, METRICS, SERVERS, setup_label

from harness.paths import SNIPPETS
from sitebuild.labs import COLUMNS, render_lab


def texts(tag, fragment):
    """The text of every `tag` cell in an HTML fragment."""
    return [html.unescape(text) for text in re.findall(rf"<{tag}>(.*?)</{tag}>", fragment)]


def static_table(tmp_path, setups, language):
    """The header cells and body rows (cell texts) of the static table for `setups`."""
    preset = tmp_path / "preset.json"
    preset.write_text(json.dumps({"setups": setups, "controls": True}), encoding="utf-8")
    page = render_lab(preset, language)
    head = texts("th", page[page.index("<thead>") : page.index("</thead>")])
    body = re.findall(r"<tr>(.*?)</tr>", page[page.index("<tbody>") :])
    return head, [texts("td", row) for row in body]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("server", SERVERS)
def test_every_server_with_a_database_view_renders_with_its_failed_count(
    tmp_path, server, language
):
    setups = [
        {"server": server, "view": view, "requests": 5, "ms": 100}
        for view in ("sync-db", "async-db")
    ]
    head, rows = static_table(tmp_path, setups, language)
    assert head[0] == LABELS["setup"][language]
    assert head[-1] == METRICS["failed"][0][language]
    for setup, row in zip(setups, rows, strict=True):
        assert row[0] == setup_label(setup)
        assert row[-1] == str(simulate(**setup).summary.failed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pool_too_small_shows_its_failed_requests_in_the_table(tmp_path, language):
    setup = {
        "server": "gunicorn-gthread",
        "workers": 1,
        "threads": 5,
        "view": "sync-db",
        "requests": 5,
        "ms": 4000,
        "db_pool": 1,
    }
    failed = simulate(**setup).summary.failed
    assert failed > 0
    head, [row] = static_table(tmp_path, [setup], language)
    assert dict(zip(head, row, strict=True))[METRICS["failed"][0][language]] == str(failed)


def test_a_preset_without_a_database_view_keeps_its_table_as_it_was(tmp_path):
    preset = json.loads((SNIPPETS / "lab" / "index-sync-view.json").read_text(encoding="utf-8"))
    head, _ = static_table(tmp_path, preset["setups"], "en")
    assert METRICS["failed"][0]["en"] not in head
    assert len(head) == 1 + len(COLUMNS)
