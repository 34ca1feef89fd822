"""Build the browser side into build/site/: the JS bundle and a self-hosted Pyodide.

`python -m sitebuild.bundle` (the Makefile runs it when an input changes). The MkDocs hook
then copies build/site/ into every built site, once, for both languages.
"""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild.pyodide import twins

ROOT = Path(__file__).resolve().parent.parent
BROWSER = ROOT / "browser"
# Scripts that cannot be in the bundle (they run before Material's bundle, are workers
# Material or the browser load by URL, or need the site root scope): copied as they are.
PAGE_SCRIPTS = BROWSER / "page-scripts"
PACKAGES = ROOT / "packages"
NODE_MODULES = ROOT / "node_modules"
PYODIDE_NPM = NODE_MODULES / "pyodide"
OUT = ROOT / "build" / "site"
# Where the bundle lands in every built site; the offline manifest names these folders too.
RUNNABLE_ASSETS = "assets/runnable/"
PAGE_SCRIPT_ASSETS = "assets/javascripts/"
CACHE = ROOT / "build" / "cache"
# The browser-side Django demo needs these pure-Python wheels, pinned by requirements.lock.
DJANGO_WHEELS = ("django", "asgiref", "sqlparse")
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")


def run(*command: str | Path, **kwargs) -> None:
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)


# The lab's vocabulary for the browser form, generated (build/ is never committed). lab.js
# imports it as "lab-schema.json", an esbuild alias: the import names the data, not where
# the build keeps it, and no generated file sits among browser/'s sources.
LAB_SCHEMA = ROOT / "build" / "generated" / "lab-schema.json"


def write_lab_schema() -> Path:
    """Write serverlab.scenario.schema() to LAB_SCHEMA, for esbuild to inline."""
    from serverlab.scenario import schema

    LAB_SCHEMA.parent.mkdir(parents=True, exist_ok=True)
    LAB_SCHEMA.write_text(json.dumps(schema(), ensure_ascii=False, indent=1), encoding="utf-8")
    return LAB_SCHEMA


# Which runtime files the worker fetches as zstd twins (sitebuild/pyodide/twins.py), for
# worker.js as "runtime-twins.json", like the lab's schema.
RUNTIME_TWINS = ROOT / "build" / "generated" / "runtime-twins.json"


def write_runtime_twins() -> Path:
    """Write twins.schema() to RUNTIME_TWINS, for esbuild to inline."""
    RUNTIME_TWINS.parent.mkdir(parents=True, exist_ok=True)
    RUNTIME_TWINS.write_text(json.dumps(twins.schema(), indent=1), encoding="utf-8")
    return RUNTIME_TWINS


# Which source modules went into each bundled file, and how many bytes each: esbuild's
# metafile (https://esbuild.github.io/api/#metafile). `make bench` reads it to tell what a
# page loads before intent, feature by feature. Beside build/site/, never in the site.
BUNDLE_META = ROOT / "build" / "bundle-meta.json"


def bundle_scripts() -> None:
    """Bundle the page script and the worker with esbuild; code-split the editor and lab."""
    target = OUT / RUNNABLE_ASSETS
    shutil.rmtree(target, ignore_errors=True)
    lab_schema = write_lab_schema()
    run(
        NODE_MODULES / ".bin" / "esbuild",
        BROWSER / "runnable.js",
        BROWSER / "worker.js",
        f"--alias:lab-schema.json={lab_schema}",
        f"--alias:runtime-twins.json={write_runtime_twins()}",
        "--bundle",
        "--splitting",
        "--format=esm",
        "--minify",
        "--target=es2022",
        "--log-level=warning",
        f"--outdir={target}",
        # Chunks sit beside the entries: new URL("./worker.js", import.meta.url) in a chunk
        # must resolve to the same folder as in the source.
        "--chunk-names=[name]-[hash]",
        f"--metafile={BUNDLE_META}",
    )
    # One stylesheet for everything the browser side draws: one request, no ordering issue.
    sheets = sorted(BROWSER.glob("*.css"), key=lambda css: css.name != "runnable.css")
    (target / "runnable.css").write_text("\n".join(css.read_text() for css in sheets))


# The lab's chart code bundled for Node, which the build runs to draw each preset's
# timeline (sitebuild/lab_pictures.py). Beside build/site/, never copied into the site.
LAB_PICTURES = ROOT / "build" / "node" / "lab-pictures.mjs"


def bundle_lab_pictures() -> None:
    """Bundle sitebuild/lab_pictures.mjs, with browser/lab-chart.js inside, for Node."""
    run(
        NODE_MODULES / ".bin" / "esbuild",
        ROOT / "sitebuild" / "lab_pictures.mjs",
        f"--alias:lab-schema.json={write_lab_schema()}",
        "--bundle",
        "--platform=node",
        "--format=esm",
        "--target=node20",
        "--log-level=warning",
        f"--outfile={LAB_PICTURES}",
    )


def copy_page_scripts() -> None:
    """Copy browser/page-scripts/ as it is to assets/javascripts/, beside Material's bundle."""
    target = OUT / PAGE_SCRIPT_ASSETS
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(PAGE_SCRIPTS, target)


def copy_mermaid() -> None:
    """Self-host Mermaid's ES module build: the core and the chunks diagrams load on demand."""
    source = NODE_MODULES / "mermaid" / "dist"
    target = OUT / "assets" / "mermaid"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        source / "chunks" / "mermaid.esm.min",
        target / "chunks" / "mermaid.esm.min",
        ignore=shutil.ignore_patterns("*.map"),
    )
    shutil.copy2(source / "mermaid.esm.min.mjs", target / "mermaid.esm.min.mjs")


def pinned_versions() -> dict[str, str]:
    """Package name -> version, from requirement lines such as `django==6.1.3 \\`."""
    lines = (ROOT / "requirements.lock").read_text().splitlines()
    pins = (line.split()[0] for line in lines if "==" in line and not line[0].isspace())
    return dict(pin.split("==", 1) for pin in pins)


def our_wheels(wheels: Path) -> list[Path]:
    """Build a wheel of each of our browser packages from its source folder."""
    built = []
    for project in sorted(p.parent for p in PACKAGES.glob("*/pyproject.toml")):
        run(
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-qq",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            wheels,
            project,
        )
        name = project.name
        built += sorted(wheels.glob(f"{name}-*.whl"))
    return built


def django_wheels(wheels: Path) -> list[Path]:
    """Fetch the pinned Django wheels from the package registry once; serve Django slimmed."""
    from sitebuild.pyodide.slim_django import demo_errors, slim_wheel

    # Before any fetch: a demo that imports a stripped module fails the build, by name.
    if errors := demo_errors():
        raise SystemExit("\n".join(errors))
    versions = pinned_versions()
    found = []
    for name in DJANGO_WHEELS:
        pattern = f"{name}-{versions[name]}-py3-none-any.whl"
        cached = CACHE / "wheels" / pattern
        if not cached.exists():
            run(
                sys.executable,
                "-m",
                "pip",
                "download",
                "-qq",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                CACHE / "wheels",
                f"{name}=={versions[name]}",
            )
        if name == "django":
            cached = slim_wheel(cached, CACHE / "wheels" / "slim")
        shutil.copy2(cached, wheels / pattern)
        found.append(wheels / pattern)
    return found


def precompiled_stdlib() -> list[Path]:
    """The core and on-demand stdlib archives, split inside Pyodide and cached per input.

    The inputs: the Pyodide version, the measured core (stdlib_core.json) and the split's
    own code.
    """
    from sitebuild.pyodide import stdlib_archives

    split = ROOT / "sitebuild" / "pyodide"
    measured = split / "stdlib_core.json"
    fallback = PACKAGES / "pyrunner" / "pyrunner" / "stdlib_fallback.py"
    inputs = [measured, split / "precompile_stdlib.py", split / "precompile_stdlib.mjs", fallback]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in inputs)).hexdigest()[:16]
    version = json.loads((PYODIDE_NPM / "package.json").read_text())["version"]
    cached = CACHE / f"python_stdlib-{version}-{digest}"
    archives = [cached / name for name in (stdlib_archives.CORE, *stdlib_archives.ON_DEMAND)]
    if not all(archive.exists() for archive in archives):
        cached.mkdir(parents=True, exist_ok=True)
        run("node", split / "precompile_stdlib.mjs", PYODIDE_NPM, measured, *archives)
    return archives


def build_pyodide() -> None:
    """Copy the pinned Pyodide runtime and register our wheels and Django's in its lock file."""
    target = OUT / "pyodide"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in PYODIDE_RUNTIME:
        shutil.copy2(PYODIDE_NPM / name, target / name)
    for archive in precompiled_stdlib():
        shutil.copy2(archive, target / archive.name)
    wheels = our_wheels(target) + django_wheels(target)
    for wheel in wheels:  # before the lock file records their hashes
        wheel.write_bytes(twins.stored(wheel.read_bytes()))
    # Only our packages and Django are served, so the lock file lists only them (plus
    # Pyodide's own entries for nothing else): a smaller file to fetch at start-up.
    lock = json.loads((PYODIDE_NPM / "pyodide-lock.json").read_text())
    lock["packages"] = {}
    (CACHE / "pyodide-lock-base.json").write_text(json.dumps(lock))
    run(
        sys.executable,
        "-m",
        "pyodide_cli",
        "lockfile",
        "add-wheels",
        "--input",
        CACHE / "pyodide-lock-base.json",
        "--output",
        target / "pyodide-lock.json",
        "--base-path",
        target,
        *wheels,
        stdout=subprocess.DEVNULL,
    )
    # The twins, made once per content in the cache (zstd at level 19 takes seconds).
    for path in sorted(target.iterdir()):
        if not twins.has_twin(path.name):
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        cached = CACHE / "twins" / f"{path.name}-{digest}{twins.SUFFIX}"
        if not cached.exists():
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(twins.compress(data))
        shutil.copy2(cached, target / (path.name + twins.SUFFIX))


def is_built() -> bool:
    """Whether `python -m sitebuild.bundle` has run: the page script is there."""
    return (OUT / RUNNABLE_ASSETS / "runnable.js").is_file()


def copy_into(site: Path) -> None:
    """Copy the bundle into a built site, skipping files already there and up to date.

    The i18n plugin builds every language into the same site folder and the hook calls
    this for each, so it must be idempotent and cheap when nothing changed.
    """
    for source in OUT.rglob("*"):
        if source.is_dir() or source.name == ".stamp":
            continue
        target = site / source.relative_to(OUT)
        if (
            target.exists()
            and target.stat().st_size == source.stat().st_size
            and target.stat().st_mtime >= source.stat().st_mtime
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    bundle_scripts()
    bundle_lab_pictures()
    copy_page_scripts()
    copy_mermaid()
    build_pyodide()
    print(f"browser bundle and Pyodide ready in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
