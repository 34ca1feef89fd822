"""Read the structure of a Markdown page: heading ids, snippet includes, runnable blocks."""

import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.*?)\s*$")
EXPLICIT_ID = re.compile(r"\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\}\s*$")
INCLUDE = re.compile(r"""^\s*-{1,3}8<-{1,3}\s+["'](?P<path>[^"']+)["']\s*$""")
RUNNABLE_CLASS = re.compile(r"(^|\s)\.runnable(\s|\}|$)")
LAB_CLASS = re.compile(r"(^|\s)\.lab(\s|\}|$)")
RESULTS_CLASS = re.compile(r"(^|\s)\.results(\s|\}|$)")


class PageError(Exception):
    """A page breaks a rule of the site; the message names the file."""


@dataclass
class Block:
    """A fenced code block: its info string, whether it runs, and the snippet it includes."""

    info: str
    line: int
    runnable: bool
    lab: bool
    includes: list[str] = field(default_factory=list)
    results: bool = False  # a `make bench` table or chart (runnable/results.py)


@dataclass
class Page:
    """What the checks compare between the two languages of a page."""

    path: Path
    heading_ids: list[str]
    headings_without_id: list[tuple[int, str]]
    blocks: list[Block]

    @property
    def includes(self) -> list[str]:
        return [path for block in self.blocks for path in block.includes]

    @property
    def runnable_snippets(self) -> list[str]:
        return [",".join(block.includes) for block in self.blocks if block.runnable]

    @property
    def labs(self) -> list[str]:
        return [",".join(block.includes) for block in self.blocks if block.lab]

    @property
    def results(self) -> list[str]:
        """The info string of each results block: which table or chart, in page order."""
        return [block.info for block in self.blocks if block.results]


def read_page(path: Path) -> Page:
    """Parse headings outside code fences and every fenced block of one Markdown file."""
    ids, missing, blocks = [], [], []
    open_fence: tuple[str, Block] | None = None
    in_front_matter = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number == 1 and line.strip() == "---":
            in_front_matter = True
            continue
        if in_front_matter:
            in_front_matter = line.strip() != "---"
            continue
        fence = FENCE.match(line)
        if open_fence:
            marker, block = open_fence
            if fence and fence["fence"].startswith(marker) and not fence["info"].strip():
                open_fence = None
            elif include := INCLUDE.match(line):
                block.includes.append(include["path"])
            continue
        if fence:
            info = fence["info"].strip()
            block = Block(
                info, number, bool(RUNNABLE_CLASS.search(info)), bool(LAB_CLASS.search(info))
            )
            block.results = bool(RESULTS_CLASS.search(info))
            blocks.append(block)
            open_fence = (fence["fence"], block)
            continue
        heading = HEADING.match(line)
        if heading:
            explicit = EXPLICIT_ID.search(heading["text"])
            if explicit:
                ids.append(explicit["id"])
            else:
                missing.append((number, heading["text"]))
    return Page(path, ids, missing, blocks)


def pair_errors(vi: Page, en: Page) -> list[str]:
    """Differences between the two languages of one page that a reader would notice."""
    errors = []
    for page in (vi, en):
        errors += [
            f"{page.path}:{line}: heading '{text}' has no explicit id "
            "(write it as '## Title {{ #ascii-id }}' so the language switch keeps the section)"
            for line, text in page.headings_without_id
        ]
    only_vi = [i for i in vi.heading_ids if i not in en.heading_ids]
    only_en = [i for i in en.heading_ids if i not in vi.heading_ids]
    if only_vi:
        errors.append(f"{vi.path}: heading ids missing from {en.path}: {', '.join(only_vi)}")
    if only_en:
        errors.append(f"{en.path}: heading ids missing from {vi.path}: {', '.join(only_en)}")
    if not only_vi and not only_en and vi.heading_ids != en.heading_ids:
        errors.append(f"{vi.path} and {en.path}: the same heading ids in a different order")
    if vi.includes != en.includes:
        errors.append(
            f"{vi.path} and {en.path}: snippet includes differ: {vi.includes} != {en.includes}"
        )
    if vi.runnable_snippets != en.runnable_snippets:
        errors.append(
            f"{vi.path} and {en.path}: runnable blocks differ: "
            f"{vi.runnable_snippets} != {en.runnable_snippets}"
        )
    if vi.labs != en.labs:
        errors.append(f"{vi.path} and {en.path}: labs differ: {vi.labs} != {en.labs}")
    if vi.results != en.results:
        errors.append(
            f"{vi.path} and {en.path}: results blocks differ: {vi.results} != {en.results}"
        )
    return errors


def site_errors(docs: Path, snippets: Path, languages=("vi", "en")) -> list[str]:
    """Every rule broken by the page tree: missing twins, id mismatches, missing snippets."""
    first, second = (docs / lang for lang in languages)
    names = {p.relative_to(first) for p in first.rglob("*.md")}
    twins = {p.relative_to(second) for p in second.rglob("*.md")}
    errors = [f"{first / n}: no {languages[1]} twin at {second / n}" for n in sorted(names - twins)]
    errors += [
        f"{second / n}: no {languages[0]} twin at {first / n}" for n in sorted(twins - names)
    ]
    for name in sorted(names & twins):
        pages = read_page(first / name), read_page(second / name)
        errors += pair_errors(*pages)
        for page in pages:
            for block in page.blocks:
                errors += [
                    f"{page.path}:{block.line}: snippet file not found: {snippets / include}"
                    for include in block.includes
                    if not (snippets / include).is_file()
                ]
                if (block.runnable or block.lab or block.results) and len(block.includes) != 1:
                    errors.append(
                        f"{page.path}:{block.line}: a runnable, lab or results block must "
                        "include exactly one snippet file ('--8<-- \"chapter/name.py\"')"
                    )
    return errors
