"""A Markdown copy of every page, written beside it as `index.md`, for readers' AI tools.

The copy is the page's source after figures are filled in (the hook records it), with
every `--8<--` include inlined and each block that has a kind in a Markdown form of its own,
chosen from MARKDOWN_FORMS as the hook chooses its renderers. Links become relative to the
copy's folder, which is the page's own folder, so they resolve on any sub-path, as the pages'
links do.

Not in the offline manifest (sitebuild/offline.py lists .html pages only): the copies would
double the text a phone saves, and the Copy control says plainly when it cannot fetch one.
"""

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from pymdownx.snippets import SnippetPreprocessor

from sitebuild import challenges
from sitebuild.fences import INCLUDE, Block, Kind, parse
from sitebuild.labs import render_lab
from sitebuild.markdown_tables import tables
from sitebuild.results import ResultsError, options, render_results

LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
COPY = "index.md"

WORDS = {
    "vi": {
        "output": "Kết quả",
        "lab": "Server lab (mô phỏng trên đồng hồ ảo), preset `{preset}`. Kết quả mô phỏng:",
    },
    "en": {
        "output": "Output",
        "lab": "Server lab (simulated on a virtual clock), preset `{preset}`. Simulated results:",
    },
}


@dataclass(frozen=True)
class Build:
    """What a page's copy depends on besides the page: its language and the snippets folder."""

    language: str
    snippets: Path

    @classmethod
    def of(cls, config) -> "Build":
        """From the build's config: the page's language, and where pymdownx.snippets reads."""
        base = config["mdx_configs"]["pymdownx.snippets"]["base_path"]
        return cls(config["theme"]["language"], Path(base[0] if isinstance(base, list) else base))

    @property
    def words(self) -> dict[str, str]:
        return WORDS[self.language if self.language in WORDS else "en"]


@dataclass
class Copy:
    """One page of this build and the Markdown copy written beside it."""

    page: object
    text: str


# This build's copies by page URL: a build that failed half-way (under `mkdocs serve`)
# leaves none that the next one would list twice.
_copies: dict[str, Copy] = {}


def _fence(text: str, info: str, indent: str = "") -> list[str]:
    """A fence around `text`, longer than any run of backticks inside it."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    marker = "`" * max([3, *(run + 1 for run in runs)])
    body = [indent + line if line else line for line in text.rstrip("\n").split("\n")]
    return [f"{indent}{marker}{info}", *body, f"{indent}{marker}"]


def _snippet(path: str, build: Build) -> str:
    """A snippet as pymdownx.snippets includes a whole file: without its section markers."""
    lines = (build.snippets / path).read_text(encoding="utf-8").split("\n")
    section = SnippetPreprocessor.RE_SNIPPET_SECTION
    return "\n".join(
        line
        for line in lines
        if "8<-" not in line or not (marker := section.match(line)) or marker["escape"]
    )


def inline_includes(lines: list[str], build: Build) -> list[str]:
    """Every `--8<-- "path"` line replaced by that snippet's text, at the line's indent."""
    out = []
    for line in lines:
        include = INCLUDE.match(line)
        if not include:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        text = _snippet(include["path"], build).rstrip("\n")
        out += [indent + row if row else row for row in text.split("\n")]
    return out


def _language_of(block: Block) -> str:
    """The fence's language, the first word of its info string: `python { .runnable }`."""
    return block.info.split("{")[0].strip()


def _runnable_form(block: Block, build: Build) -> list[str]:
    """The code, then what running it prints (snippets/NAME.out)."""
    name = block.includes[0]
    out = build.snippets / Path(name).with_suffix(".out")
    indent = block.text[0][: len(block.text[0]) - len(block.text[0].lstrip())]
    return [
        *_fence(_snippet(name, build), _language_of(block), indent),
        "",
        f"{indent}{build.words['output']}:",
        "",
        *_fence(out.read_text(encoding="utf-8"), "text", indent),
    ]


def _lab_form(block: Block, build: Build) -> list[str]:
    """A line naming the preset, then the page's own static table of simulated results."""
    page_html = render_lab(build.snippets / block.includes[0], build.language)
    return [build.words["lab"].format(preset=block.includes[0]), "", *tables(page_html)]


def _results_form(block: Block, build: Build) -> list[str]:
    """The `make bench` table; a chart is a picture, so its records as the makespan table."""
    chosen = options(block.info)
    if chosen.get("table") == "chart":
        chosen["table"] = "makespan"
    try:
        path = build.snippets / block.includes[0]
        return tables(render_results(path, build.language, **chosen))
    except ResultsError as error:
        raise PluginError(f"{block.includes[0]}: {error}") from None


def _challenge_form(block: Block, build: Build) -> list[str]:
    """The question, its choices, then the answer and why (the page's collapsed block)."""
    challenge = challenges.load(build.snippets / block.includes[0], build.snippets)
    language = build.language
    label = challenges.LABELS["challenge"][language]
    lines = [f"**{label}:** {challenge.question[language]}"]
    lexer = challenges.choice_lexer(challenge)
    if challenge.snippet:
        lines += ["", *_fence(_snippet(challenge.snippet, build), "python")]
    for choice in challenge.choices:
        lines += ["", f"- ({choice.id.upper()}) {choice.text.get(language, '')}".rstrip()]
        lines += _fence(choice.code, lexer, "    ") if choice.code else []
    if challenge.starter:
        lines += ["", *_fence(_snippet(challenge.starter, build), "python")]
    if answer := challenges.answer_text(challenge, language):
        lines += ["", f"{challenges.LABELS['right_answer'][language]}: {answer}"]
    lines += ["", challenge.explanation[language]]
    if challenge.solution:
        solution = challenges.LABELS["solution"][language]
        lines += ["", f"{solution}:", "", *_fence(_snippet(challenge.solution, build), "python")]
    return lines


def _progress_form(block: Block, build: Build) -> list[str]:
    """Nothing: the summary counts one reader's solved challenges, kept in their browser."""
    return []


MARKDOWN_FORMS: dict[Kind, Callable[[Block, Build], list[str]]] = {
    Kind.RUNNABLE: _runnable_form,
    Kind.LAB: _lab_form,
    Kind.RESULTS: _results_form,
    Kind.CHALLENGE: _challenge_form,
    Kind.PROGRESS: _progress_form,
}


def markdown_form(block: Block, build: Build, where: str) -> list[str]:
    """The lines one block with a kind becomes in the copy; an unknown kind fails the build."""
    form = MARKDOWN_FORMS.get(block.kind)
    if form is None:
        raise PluginError(f"{where}:{block.line}: no Markdown form for a '{block.kind}' block")
    return form(block, build)


def nav_pages(page) -> list:
    """Every page of the page's language in nav order, from MkDocs' previous and next links."""
    first = page
    while first.previous_page is not None:
        first = first.previous_page
    pages = [first]
    while pages[-1].next_page is not None:
        pages.append(pages[-1].next_page)
    return pages


def _folder(url: str) -> str:
    return "/" + url.strip("/")


def relative_url(target_url: str, from_url: str) -> str:
    """A page's directory URL as seen from another page's folder: `../wsgi/`."""
    path = posixpath.relpath(_folder(target_url), _folder(from_url))
    return "./" if path == "." else path + "/"


def _link_fixer(page, where: str) -> Callable[[re.Match], str]:
    """Rewrite one Markdown link so that it resolves from the copy's folder."""
    urls = {other.file.src_uri: other.url for other in nav_pages(page)}
    here = posixpath.dirname(page.file.src_uri)

    def fix(link: re.Match) -> str:
        target = link["target"]
        if EXTERNAL.match(target):
            return link[0]
        path, _, fragment = target.partition("#")
        if not path:  # a section of this page: the page itself, not this file
            url = "./"
        else:
            source = posixpath.normpath(posixpath.join(here, path))
            if source not in urls:
                raise PluginError(f"{where}: the link {target!r} names no page of the site")
            url = relative_url(urls[source], page.url)
        url += f"#{fragment}" if fragment else ""
        return f"[{link['text']}]({url}{link['title'] or ''})"

    return fix


def to_markdown(markdown: str, first_line: int, page, build: Build) -> str:
    """The copy of one page: includes inlined, blocks in their Markdown form, links fixed."""
    where = page.file.abs_src_path
    fix = _link_fixer(page, where)
    document = parse(markdown, first_line)
    lines = markdown.split("\n")
    out, cursor = [], 0

    def prose(until: int) -> None:
        out.extend(LINK.sub(fix, line) for line in inline_includes(lines[cursor:until], build))

    for block in document.blocks:
        start = block.line - document.first_line
        prose(start)
        if block.kind is None:
            out.extend(inline_includes(block.text, build))
        else:
            out.extend(markdown_form(block, build, where))
        cursor = block.end - document.first_line + 1
    prose(len(lines))
    return "\n".join(out).strip("\n") + "\n"


def record(page, markdown: str, first_line: int, config) -> None:
    """Keep a page's copy (its Markdown with figures filled in) until the build ends."""
    _copies[page.url] = Copy(page, to_markdown(markdown, first_line, page, Build.of(config)))


def write(site: Path) -> list[Copy]:
    """Write this build's copies, each as index.md in its page's built folder, and forget them.

    The i18n plugin runs one build per language into the same site, so each build writes its
    own and the next one starts empty.
    """
    copies = list(_copies.values())
    _copies.clear()
    for copy in copies:
        target = site / copy.page.url / COPY
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(copy.text, encoding="utf-8")
    return copies
