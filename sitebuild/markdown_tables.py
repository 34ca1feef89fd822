"""The tables of a block the build rendered as HTML (a lab's, a results block's), as Markdown.

The Markdown copies reuse the very HTML the page shows, so their numbers cannot drift from
it; everything but the tables (pictures, data for the browser) is left out.
"""

from html.parser import HTMLParser


class _Tables(HTMLParser):
    """Collect each table's caption and rows of cell text."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.text: list[str] | None = None  # the caption or cell being read

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th", "caption") and self.tables:
            self.text = []

    def handle_endtag(self, tag):
        if tag not in ("td", "th", "caption") or self.text is None:
            return
        text = " ".join("".join(self.text).split())
        self.text = None
        rows = self.tables[-1][1]
        if tag == "caption":
            self.tables[-1] = (text, rows)
        elif rows:
            rows[-1].append(text.replace("|", "\\|"))

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def tables(html: str) -> list[str]:
    """Each table in `html` as Markdown lines: its caption, if any, then a pipe table."""
    parser = _Tables()
    parser.feed(html[max(html.find("<table"), 0) :])  # a lab's pictures before it are long
    lines: list[str] = []
    for caption, rows in parser.tables:
        if not rows:
            continue
        lines += [*([caption, ""] if caption else []), "| " + " | ".join(rows[0]) + " |"]
        lines.append("|" + "---|" * len(rows[0]))
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        lines.append("")
    return lines[:-1]
