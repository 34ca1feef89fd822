"""List the site's external links and, when a network is there, check that they answer.

`make links` (CI has no network, so it never runs this): builds the site, writes
benchmarks/report/links.json and links.md, and with --check asks each URL once.
"""

import argparse
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

from harness.paths import ROOT
from harness.static_site import build_site
from sitebuild.links import external_links

REPORT = ROOT / "benchmarks" / "report"


def check(url: str, timeout: float = 15) -> str:
    """The HTTP status of `url` as text, or the error that prevented an answer."""
    request = urllib.request.Request(
        url, method="GET", headers={"User-Agent": "wsgi-hay-asgi links"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except OSError as error:
        return f"error: {error}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="request every URL (needs a network)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as site:
        # Not strict: a build warning must not keep the links from being listed.
        links = external_links(build_site(Path(site), strict=False))
    statuses = {url: check(url) for url in links} if args.check else {}
    REPORT.mkdir(parents=True, exist_ok=True)
    records = [
        {"url": url, "pages": pages, "status": statuses.get(url, "not checked")}
        for url, pages in links.items()
    ]
    (REPORT / "links.json").write_text(json.dumps(records, indent=2, ensure_ascii=False))
    lines = ["| URL | status | pages |", "| --- | --- | --- |"]
    lines += [f"| {r['url']} | {r['status']} | {len(r['pages'])} |" for r in records]
    (REPORT / "links.md").write_text("\n".join(lines) + "\n")
    bad = [r for r in records if args.check and not r["status"].startswith(("2", "3"))]
    print(f"{len(records)} external links; report in {REPORT.relative_to(ROOT)}/links.md")
    for record in bad:
        print(f"  {record['status']}: {record['url']}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
