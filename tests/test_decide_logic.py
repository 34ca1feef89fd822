"""The decision guide on the "decide" page: one graph, every path ends in a recommendation.

Design (see also browser/decide.js): the guide is written out in each page's
Markdown as question and outcome blocks. Each answer is a list item whose link names the
next question or an outcome, so the guide works without JavaScript and the widget builds
its stepper from the same markup. There is no separate data file to keep in sync; instead
this test reads the graph from both pages and checks it against the table below, against
the pure `walk` function of decide.js (through Node) and against the runnable snippet
snippets/decide/decide.py that shows the same logic as code.
"""

import contextlib
import io
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitebuild.fences import INCLUDE

ROOT = Path(__file__).resolve().parent.parent
PAGES = {lang: ROOT / "docs" / lang / "decide.md" for lang in ("vi", "en")}
ANSWER_LABELS = {"vi": ["Có", "Không"], "en": ["Yes", "No"]}
YES, NO = 0, 1

# The decision logic, mirrored: answers (in the order asked) -> outcome.
EXPECTED = {
    (YES,): "outcome-channels",
    (NO, YES): "outcome-streaming",
    (NO, NO, YES, YES): "outcome-async-io",
    (NO, NO, YES, NO): "outcome-threads",
    (NO, NO, NO, YES): "outcome-wsgi",
    (NO, NO, NO, NO): "outcome-cpu",
}
# Which argument of recommend() in snippets/decide/decide.py answers which question.
SNIPPET_ARGUMENTS = {
    "q-websocket": "websocket",
    "q-streaming": "long_lived",
    "q-slow-io": "slow_io",
    "q-async-libs": "async_libraries",
    "q-db": "mostly_db",
}
# What recommend() returns for each outcome.
SNIPPET_RESULTS = {
    "outcome-channels": "ASGI + Django Channels",
    "outcome-streaming": "ASGI, StreamingHttpResponse with an async iterator",
    "outcome-async-io": "ASGI, async def views that await the I/O",
    "outcome-threads": "WSGI with threads (gthread)",
    "outcome-wsgi": "WSGI (Gunicorn), the default",
    "outcome-cpu": "WSGI, workers ~ cores, heavy work in a task queue",
}

GUIDE = re.compile(
    r'<div class="decision-guide" markdown>(?P<body>.*)^</div>',
    re.S | re.M,
)
BLOCK = re.compile(
    r'<div class="decision-(?P<kind>question|outcome)" id="(?P<id>[a-z0-9-]+)" markdown>'
    r"(?P<body>.*?)^</div>",
    re.S | re.M,
)
ANSWER = re.compile(r"^- \*\*(?P<label>[^*]+)\*\*.*\]\(#(?P<target>[a-z0-9-]+)\)\s*$", re.M)


def read_guide(lang):
    """The guide of one page: start id, questions {id: (prompt, labels, targets)}, outcomes."""
    match = GUIDE.search(PAGES[lang].read_text(encoding="utf-8"))
    assert match, f"{PAGES[lang]}: no decision-guide block"
    questions, outcomes, order = {}, {}, []
    for block in BLOCK.finditer(match["body"]):
        paragraphs = [p.strip() for p in block["body"].strip().split("\n\n") if p.strip()]
        if block["kind"] == "question":
            answers = ANSWER.findall(block["body"])
            questions[block["id"]] = (
                paragraphs[0],
                [label for label, _ in answers],
                [target for _, target in answers],
            )
            order.append(block["id"])
        else:
            includes = [
                m["path"] for line in block["body"].splitlines() if (m := INCLUDE.match(line))
            ]
            outcomes[block["id"]] = (paragraphs[0], includes)
    return order[0], questions, outcomes


def graph_of(lang):
    """The language-neutral graph, in the shape decide.js's walk() takes."""
    start, questions, outcomes = read_guide(lang)
    return {
        "start": start,
        "questions": {qid: targets for qid, (_, _, targets) in questions.items()},
        "outcomes": list(outcomes),
    }


def walk(graph, choices):
    """Python twin of walk() in decide.js: follow answer indexes to a question or outcome."""
    node, path = graph["start"], []
    for choice in choices:
        path.append(node)
        node = graph["questions"][node][choice]
        assert node not in path, f"the guide loops back to {node}"
        if node in graph["outcomes"]:
            return "outcome", node, path
    return "question", node, path


def all_paths(graph):
    """Every sequence of answers from the start to an outcome: {answers: (outcome, questions)}."""
    paths, todo = {}, [()]
    while todo:
        choices = todo.pop()
        kind, node, path = walk(graph, choices)
        if kind == "outcome":
            paths[choices] = (node, path)
        else:
            assert node in graph["questions"], f"{node} is neither a question nor an outcome"
            todo += [(*choices, i) for i in range(len(graph["questions"][node]))]
    return paths


def test_both_languages_embed_the_same_guide():
    assert graph_of("vi") == graph_of("en")


def test_every_path_ends_in_a_recommendation_and_matches_the_table():
    graph = graph_of("vi")
    paths = all_paths(graph)
    assert {choices: outcome for choices, (outcome, _) in paths.items()} == EXPECTED
    reached_questions = {q for _, path in paths.values() for q in path}
    assert reached_questions == set(graph["questions"]), "a question no path reaches"
    assert {outcome for outcome, _ in paths.values()} == set(graph["outcomes"])


@pytest.mark.parametrize("lang", PAGES)
def test_every_question_and_outcome_is_written_out(lang):
    _, questions, outcomes = read_guide(lang)
    for qid, (prompt, labels, _) in questions.items():
        assert prompt.startswith("**") and prompt.endswith("?**"), f"{lang} {qid}: {prompt}"
        assert labels == ANSWER_LABELS[lang], f"{lang} {qid}: answers {labels}"
    for oid, (title, includes) in outcomes.items():
        assert title.startswith("**") and len(title) > 10, f"{lang} {oid}: no title"
        assert len(includes) == 1, f"{lang} {oid}: one command snippet expected"
        assert includes[0].endswith(".sh") and (ROOT / "snippets" / includes[0]).is_file()


def test_the_runnable_snippet_gives_the_same_answers():
    snippet = ROOT / "snippets" / "decide" / "decide.py"
    namespace = {"__name__": "decide_snippet"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(snippet.read_text(encoding="utf-8"), str(snippet), "exec"), namespace)
    recommend = namespace["recommend"]
    graph = graph_of("en")
    paths = all_paths(graph)
    for values in itertools.product([True, False], repeat=len(SNIPPET_ARGUMENTS)):
        answers = dict(zip(SNIPPET_ARGUMENTS, values, strict=True))
        choices = ()
        while (state := walk(graph, choices))[0] == "question":
            choices += (YES if answers[state[1]] else NO,)
        assert choices in paths
        arguments = {SNIPPET_ARGUMENTS[q]: v for q, v in answers.items()}
        assert recommend(**arguments) == SNIPPET_RESULTS[state[1]], answers


NODE_SCRIPT = """
import { walk, graphErrors } from %s;
const { graph, choices } = JSON.parse(process.argv[1]);
console.log(JSON.stringify({
  errors: graphErrors(graph),
  results: choices.map((c) => walk(graph, c).id),
  partial: walk(graph, [1, 1]).type,
}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_widget_logic_agrees():
    graph = graph_of("en")
    choices = [list(c) for c in EXPECTED]
    module = json.dumps((ROOT / "browser" / "decide.js").as_uri())
    completed = subprocess.run(
        [
            "node",
            "--input-type=module",
            "-e",
            NODE_SCRIPT % module,
            "--",
            json.dumps({"graph": graph, "choices": choices}),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    answer = json.loads(completed.stdout)
    assert answer == {"errors": [], "results": list(EXPECTED.values()), "partial": "question"}
