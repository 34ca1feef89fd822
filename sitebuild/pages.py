"""The rules a pair of pages keeps: same heading ids, snippets and demos, no missing twin."""

from dataclasses import dataclass
from pathlib import Path

from sitebuild.fences import Block, Kind, read


@dataclass
class Page:
    """What the checks compare between the two languages of a page."""

    path: Path
    heading_ids: list[str]
    headings_without_id: list[tuple[int, str]]
    blocks: list[Block]

    def _of_kind(self, kind: Kind) -> list[Block]:
        return [block for block in self.blocks if block.kind == kind]

    @property
    def includes(self) -> list[str]:
        return [path for block in self.blocks for path in block.includes]

    @property
    def runnable_snippets(self) -> list[str]:
        return [",".join(block.includes) for block in self._of_kind(Kind.RUNNABLE)]

    @property
    def labs(self) -> list[str]:
        return [",".join(block.includes) for block in self._of_kind(Kind.LAB)]

    @property
    def results(self) -> list[str]:
        """The info string of each results block: which table or chart, in page order."""
        return [block.info for block in self._of_kind(Kind.RESULTS)]


def read_page(path: Path) -> Page:
    """The headings and fenced blocks of one Markdown file, as the page rules compare them."""
    document = read(path)
    return Page(
        path,
        [heading.id for heading in document.headings if heading.id],
        [(heading.line, heading.text) for heading in document.headings if not heading.id],
        document.blocks,
    )


def include_error(snippets: Path, include: str) -> str | None:
    """Why an include cannot be resolved, or None: its file, and its named section if any.

    `file.py:name` includes the lines between `--8<-- [start:name]` and `[end:name]`
    (https://facelessuser.github.io/pymdown-extensions/extensions/snippets/#snippet-sections).
    """
    name, _, section = include.partition(":")
    path = snippets / name
    if not path.is_file():
        return f"snippet file not found: {path}"
    text = path.read_text(encoding="utf-8")
    if section and not all(f"[{edge}:{section}]" in text for edge in ("start", "end")):
        markers = f"[start:{section}] and [end:{section}]"
        return f"snippet section '{section}' not found in {path} (needs {markers})"
    return None


def snippet_error(block: Block) -> str | None:
    """Why a block with a kind is unusable, or None: each needs one snippet, but a summary none."""
    if block.kind == Kind.PROGRESS:
        return "a challenge-progress block includes nothing" if block.includes else None
    if block.kind and len(block.includes) != 1:
        return (
            f"a {block.kind} block must include exactly one snippet file "
            "('--8<-- \"chapter/name.py\"')"
        )
    return None


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
                    f"{page.path}:{block.line}: {error}"
                    for include in block.includes
                    if (error := include_error(snippets, include))
                ]
                if error := snippet_error(block):
                    errors.append(f"{page.path}:{block.line}: {error}")
    return errors
