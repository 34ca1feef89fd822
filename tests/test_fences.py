"""The one fence parser, and the hook that dispatches its blocks by kind."""

import re
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from sitebuild.fences import Block, Kind, parse, read
from sitebuild.hook import RENDERERS, SNIPPETS, on_page_markdown, render_block
from sitebuild.labs import render_lab

LAB = "lab/index-sync-view.json"


def page_of(tmp_path, text: str):
    """A stand-in for the MkDocs page of a file holding `text`."""
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    file = SimpleNamespace(abs_src_path=str(path), content_string=text, src_uri="page.md")
    return SimpleNamespace(file=file, url="page/", previous_page=None, next_page=None)


def config(language: str) -> dict:
    """The parts of MkDocs' config the hook reads: the language, where snippets come from."""
    snippets = {"pymdownx.snippets": {"base_path": [str(SNIPPETS)]}}
    return {"theme": {"language": language}, "mdx_configs": snippets, "nav": []}


def render(tmp_path, text: str, body: str | None = None) -> str:
    """Run the hook on a page as MkDocs does: `body` is the text left after the front matter."""
    page = page_of(tmp_path, text)
    return on_page_markdown(text if body is None else body, page, config("en"))


def test_a_longer_fence_holds_a_shorter_one_as_its_text():
    document = parse(
        '````md\n```python { .runnable }\n--8<-- "wsgi/hello.py"\n```\n````\n# After { #after }'
    )
    [block] = document.blocks
    assert (block.line, block.end, block.kind) == (1, 5, None)
    assert block.includes == ["wsgi/hello.py"]
    assert [heading.id for heading in document.headings] == ["after"]


def test_a_tilde_fence_is_a_block_and_only_tildes_close_it():
    [block] = parse('~~~python { .runnable }\n--8<-- "wsgi/hello.py"\n```\n~~~~\n').blocks
    assert (block.kind, block.line, block.end) == (Kind.RUNNABLE, 1, 4)
    assert block.text[2] == "```"


def test_a_fence_with_words_after_it_does_not_close_the_block():
    [block] = parse("```\n``` not a close\n```\n").blocks
    assert (block.line, block.end) == (1, 3)


def test_backticks_in_the_info_string_make_inline_code_not_a_fence():
    assert parse("```x``` is inline code\n# Title { #title }").blocks == []


def test_a_fence_inside_the_front_matter_is_not_a_block(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(
        "---\nnote: |\n  ```\n  # not a heading\n---\n# Title { #title }\n```json { .lab }\n"
        f'--8<-- "{LAB}"\n```\n',
        encoding="utf-8",
    )
    document = read(path)
    assert [(block.line, block.kind) for block in document.blocks] == [(7, Kind.LAB)]
    assert [(heading.line, heading.id) for heading in document.headings] == [(6, "title")]


def test_an_include_in_single_quotes_is_read():
    [block] = parse("```python { .runnable }\n--8<-- 'wsgi/hello.py'\n```").blocks
    assert block.includes == ["wsgi/hello.py"]


def test_a_heading_inside_a_fence_is_code_and_a_heading_without_id_is_kept_with_its_line():
    document = parse("```sh\n# a shell comment\n```\n## Plain\n")
    assert [(heading.line, heading.text, heading.id) for heading in document.headings] == [
        (4, "Plain", None)
    ]


def test_the_kind_is_the_first_class_that_names_one():
    assert parse('```json { .results data-table="machine" }\n```').blocks[0].kind == Kind.RESULTS
    assert parse("```python { .highlight .lab }\n```").blocks[0].kind == Kind.LAB
    assert parse("```python { .runnable-ish }\n```").blocks[0].kind is None


def test_a_lab_block_whose_include_is_not_on_the_next_line_still_renders(tmp_path):
    text = f"Before\n\n```json {{ .lab }}\n\n--8<-- '{LAB}'\n\n```\nAfter"
    expected = "Before\n\n" + render_lab(SNIPPETS / LAB, "en") + "\nAfter"
    assert render(tmp_path, text) == expected


def test_a_runnable_block_keeps_its_lines_and_tags_its_fence_with_the_snippet(tmp_path):
    text = '```python { .runnable data-session="orm" }\n--8<-- "wsgi/hello_app.py"\n```\n'
    lines = render(tmp_path, text).split("\n")
    fence = next(line for line in lines if line.startswith("```python"))
    assert fence.startswith('```python { .runnable data-session="orm" ')
    assert fence.endswith(' data-snippet="wsgi/hello_app.py" }')
    after = lines[lines.index(fence) + 1 :]
    assert after[:2] == text.split("\n")[1:3]


def test_a_runnable_block_comes_wrapped_so_the_script_never_moves_its_code(tmp_path):
    text = '    ```python { .runnable }\n    --8<-- "wsgi/hello_app.py"\n    ```\n'
    lines = render(tmp_path, text).split("\n")
    wrapper = '<div class="runnable-block" data-snippet="wsgi/hello_app.py" markdown="block">'
    assert lines[0] == "    " + wrapper
    assert lines[1] == '    <div class="runnable-code" markdown="block">'
    assert lines[-3:-1] == ["    </div>", "    </div>"]


def test_a_block_without_its_snippet_fails_naming_the_file_and_its_line_after_front_matter(
    tmp_path,
):
    text = "---\ntitle: T\n---\n\n# T { #top }\n```python { .runnable }\nprint()\n```\n"
    body = "# T { #top }\n```python { .runnable }\nprint()\n```\n"
    with pytest.raises(PluginError, match=re.escape(f"{tmp_path / 'page.md'}:6: a runnable block")):
        render(tmp_path, text, body)


def test_an_unknown_kind_fails_naming_the_file_and_line(tmp_path):
    block = Block(3, 5, "{ .quiz }", "quiz", ["```md { .quiz }", "```"], ["quiz/one.md"])
    page = page_of(tmp_path, "")
    with pytest.raises(PluginError, match=re.escape(f"{tmp_path / 'page.md'}:3: no renderer")):
        render_block(block, page, config("vi"), parse(""))


def test_every_kind_the_parser_knows_has_a_renderer():
    assert set(RENDERERS) == set(Kind)
