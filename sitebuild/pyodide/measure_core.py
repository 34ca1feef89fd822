"""Measure which standard-library modules the site's Python imports: the core archive's data.

`python -m sitebuild.pyodide.measure_core` (after `python -m sitebuild.bundle`) boots the
shipped worker under Node on Pyodide's whole standard library, runs every snippet that does
not import Django, every lab preset's simulations and the TYPICAL_EDITS, and writes the
modules each one loaded from the standard library into CORE_MODULES: under "demos" the
worker's boot, the snippets and the labs, which a plain demo's Run loads, under "edits" the
rest (precompile_stdlib.py ships those as source), and under "django" what the Django demos
load beyond all that, measured last (their own on-demand archive).

A generated file committed with this script, not a cached build step: what it measures
changes with the snippets, not with the Pyodide version, and a build that ran Pyodide over
every snippet would be slow and could not be reviewed; as a file, a change of the core shows
in the diff. tests/test_stdlib_split.py fails when a snippet needs a module the file lacks.
"""

import ast
import json
from pathlib import Path

from harness.paths import SNIPPETS
from harness.pyodide_session import PyodideSession
from harness.snippet_files import runnable_snippets

ROOT = Path(__file__).resolve().parents[2]
CORE_MODULES = Path(__file__).with_name("stdlib_core.json")
WHOLE_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"

# What a reader typically adds to a demo. Each is run as a snippet, so that the core holds
# what it imports at once; anything else it imports later comes from the second archive.
TYPICAL_EDITS = {
    "json": "import json\nprint(json.dumps({'a': [1, 2]}, indent=2), json.loads('[1]'))",
    "random": "import random\nrandom.seed(1)\nprint(random.choice([1, 2]), random.random())",
    "time": "import time\nprint(time.perf_counter() > 0, time.monotonic() > 0)",
    "datetime": "import datetime\nprint(datetime.datetime.now().isoformat()[:4])",
    "collections": "import collections\nprint(collections.Counter('abca'), collections.deque())",
    "itertools": "import itertools\nprint(list(itertools.islice(itertools.count(), 3)))",
    "functools": "import functools\nprint(functools.reduce(lambda a, b: a + b, [1, 2]))",
    "dataclasses": "from dataclasses import dataclass, field\n"
    "@dataclass\nclass P:\n    x: int = 0\n    y: list = field(default_factory=list)\nprint(P())",
    "typing": "from typing import Any, Protocol, TypedDict, NamedTuple\nprint(Any)",
    "re": "import re\nprint(re.findall(r'\\d+', 'a1b22'), re.sub('a', 'b', 'aa'))",
    "math": "import math\nprint(math.sqrt(2), math.isclose(1, 1))",
    "statistics": "import statistics\nprint(statistics.mean([1, 2]), statistics.median([1, 3]))",
    "decimal": "from decimal import Decimal\nprint(Decimal('1.1') + Decimal('2.2'))",
    "fractions": "from fractions import Fraction\nprint(Fraction(1, 3) + Fraction(1, 6))",
    "textwrap": "import textwrap\nprint(textwrap.dedent('  a'), textwrap.fill('a b', 2))",
    "contextvars": "import contextvars\nv = contextvars.ContextVar('v', default=1)\nprint(v.get())",
    "threading": "import threading\nt = threading.Thread(target=print, args=('x',))\nt.start()\n"
    "t.join()\nprint(threading.Lock(), threading.Event().is_set())",
    "queue": "import queue\nq = queue.Queue()\nq.put(1)\nprint(q.get())",
    "concurrent.futures": "from concurrent.futures import ThreadPoolExecutor, as_completed\n"
    "with ThreadPoolExecutor(2) as pool:\n    print(list(pool.map(abs, [-1])))",
    "asyncio": "import asyncio\n"
    "async def job(n):\n    await asyncio.sleep(0)\n    print(asyncio.capture_call_graph())\n"
    "    return n\n"
    "async with asyncio.timeout(1):\n"
    "    async with asyncio.TaskGroup() as group:\n        task = group.create_task(job(1))\n"
    "print(task.result(), await asyncio.wait_for(job(2), 1), await asyncio.gather(job(3)))\n"
    "asyncio.print_call_graph(asyncio.current_task())\n"
    "print(await asyncio.to_thread(abs, -1))\n"
    "queue, lock = asyncio.Queue(), asyncio.Lock()\nasync with asyncio.Semaphore(1):\n    pass",
    "traceback": "import traceback\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n"
    "    traceback.print_exc()\nprint(traceback.format_stack()[-1:])",
    "an uncaught error": "def f():\n    raise ValueError('x')\nf()",
    "a syntax error": "def f(:\n    pass",
    "string": "import string\nprint(string.ascii_letters, string.Template('$a').substitute(a=1))",
    "enum": "import enum\nclass C(enum.Enum):\n    A = enum.auto()\nprint(C.A, enum.IntFlag)",
    "copy": "import copy\nprint(copy.deepcopy({'a': [1]}))",
    "pprint": "import pprint\npprint.pprint({'a': list(range(30))})",
    "operator": "import operator\nprint(operator.itemgetter(0)([1]), operator.neg(1))",
    "heapq": "import heapq\nh = []\nheapq.heappush(h, 2)\nprint(heapq.nsmallest(1, h))",
    "bisect": "import bisect\nprint(bisect.bisect([1, 3], 2))",
    "abc": "from abc import ABC, abstractmethod\nclass A(ABC):\n    @abstractmethod\n"
    "    def f(self): ...\nprint(A)",
    "contextlib": "import contextlib\nwith contextlib.suppress(KeyError):\n    {}['a']\n"
    "print(contextlib.nullcontext())",
    "types and inspect": "import types, inspect\nprint(types.SimpleNamespace(a=1), "
    "inspect.iscoroutinefunction(print), inspect.signature(abs))",
    "timeit": "import timeit\nprint(timeit.timeit('1 + 1', number=10) >= 0)",
    "hashlib": "import hashlib\nprint(hashlib.sha256(b'x').hexdigest()[:4])",
    "base64": "import base64\nprint(base64.b64encode(b'x'))",
    "io": "import io\nbuffer = io.StringIO()\nprint('x', file=buffer)\nprint(buffer.getvalue())",
    "weakref and gc": "import weakref, gc\nclass A: ...\na = A()\nprint(weakref.ref(a)() is a, "
    "gc.collect() >= 0)",
    "warnings": "import warnings\nwarnings.warn('careful')",
    "sys and os": "import sys, os\nprint(sys.version_info >= (3,), os.getcwd())",
    "urllib.parse": "from urllib.parse import urlparse, parse_qs\n"
    "print(urlparse('http://a/b?c=1'), parse_qs('c=1'))",
    "http": "from http import HTTPStatus\nprint(HTTPStatus.OK.phrase)",
}


def imports_django(source: str) -> bool:
    """Whether a snippet imports Django (those demos load the Django wheels anyway)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return any(name.split(".")[0] == "django" for name in names)


# Prints the modules loaded so far from the standard library's zip, one line. By their
# spec's origin: a frozen module, which never reads the zip, has its file name there too.
LOADED = (
    "import sys\n"
    "zip = next(entry for entry in sys.path if entry.endswith('.zip'))\n"
    "print(*sorted(name for name, module in list(sys.modules.items())"
    " if (getattr(getattr(module, '__spec__', None), 'origin', None) or '').startswith(zip)))"
)


def measure() -> tuple[dict, dict]:
    """Each source's newly loaded stdlib modules: the demos' (from the boot on), the edits'."""
    session = PyodideSession(stdlib_zip=WHOLE_STDLIB)
    seen: set[str] = set()

    def loaded_since() -> list[str]:
        now = set(session.run(LOADED)["stdout"].split())
        new = sorted(now - seen)
        seen.update(now)
        return new

    try:
        sources = {"boot": loaded_since()}
        for snippet in runnable_snippets():
            code = snippet.read_text(encoding="utf-8")
            if not imports_django(code):
                session.run(code)
                sources[str(snippet.relative_to(SNIPPETS))] = loaded_since()
        for preset in sorted((SNIPPETS / "lab").glob("*.json")):
            for setup in json.loads(preset.read_text(encoding="utf-8"))["setups"]:
                session.simulate(**setup)
            sources[f"lab/{preset.name}"] = loaded_since()
        edits = {}
        for name, code in TYPICAL_EDITS.items():
            session.run(code)
            edits[name] = loaded_since()
        # Last: what the Django demos load beyond all of the above, their own archive.
        django = {}
        for snippet in runnable_snippets():
            code = snippet.read_text(encoding="utf-8")
            if imports_django(code):
                session.run(code)
                django[str(snippet.relative_to(SNIPPETS))] = loaded_since()
    finally:
        session.close()
    return sources, edits, django


def main() -> None:
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())
    demos, edits, django = measure()
    data = {"pyodide": version["version"], "demos": demos, "edits": edits, "django": django}
    CORE_MODULES.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    total = sum(len(names) for part in (demos, edits, django) for names in part.values())
    print(f"{CORE_MODULES.relative_to(ROOT)}: {total} modules measured")


if __name__ == "__main__":
    main()
