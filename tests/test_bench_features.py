"""The features part of make bench: each byte before intent goes to the feature that sent it."""

import json

from benchmarks.features import attribute, bundled_parts, markup_bytes
from harness.paths import DOCS
from harness.site_pages import built_page
from sitebuild import fences
from sitebuild.bundle import BUNDLE_META
from sitebuild.challenges import page_challenges


def test_a_bundled_file_is_split_between_the_features_whose_modules_it_holds():
    meta = {
        "outputs": {
            "build/site/assets/runnable/challenge-X.js": {
                "inputs": {
                    "browser/challenge.js": {"bytesInOutput": 500},
                    "browser/progress.js": {"bytesInOutput": 100},
                    "browser/dom.js": {"bytesInOutput": 50},
                }
            }
        }
    }
    parts = bundled_parts(meta)
    assert parts == {"/assets/runnable/challenge-X.js": {"challenges": 600}}
    rows = [("/assets/runnable/challenge-X.js", 650), ("/assets/javascripts/embed.js", 300)]
    assert attribute(rows, parts)["challenges"] == 600
    assert attribute(rows, parts)["share and embed"] == 300


def test_every_challenge_of_a_built_page_is_counted_in_its_markup(built_site):
    page = built_page(built_site, "en", "concurrency")
    counted = markup_bytes(page)
    source = fences.read(DOCS / "en" / "concurrency.md")
    assert counted["challenges"] == len(page_challenges(source))
    assert 0 < counted["gzip_bytes_added"] < counted["raw_bytes"]


def test_the_bundle_writes_the_metafile_the_bench_reads():
    meta = json.loads(BUNDLE_META.read_text(encoding="utf-8"))
    sources = {source for output in meta["outputs"].values() for source in output["inputs"]}
    assert "browser/challenge.js" in sources
