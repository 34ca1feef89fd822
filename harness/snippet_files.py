"""The runnable snippets under snippets/ and the output each one must print."""

from pathlib import Path

from harness.paths import SNIPPETS

# The Django demo project is served by real servers (tests/servers), not run as a snippet.
NOT_RUN = {"project"}


def runnable_snippets() -> list[Path]:
    """Every snippet that runs on the site, in a stable order."""
    return sorted(
        path
        for path in SNIPPETS.rglob("*.py")
        if path.relative_to(SNIPPETS).parts[0] not in NOT_RUN
    )


def expected_output(snippet: Path) -> str:
    """The exact stdout kept next to the snippet as NAME.out; a missing file fails by name."""
    return snippet.with_suffix(".out").read_text(encoding="utf-8")


def snippet_id(snippet: Path) -> str:
    return str(snippet.relative_to(SNIPPETS))


def assigned_by(fragment: Path) -> dict:
    """The names a shown settings.py fragment assigns, by running it as Django would."""
    assigned = {}
    exec(compile(fragment.read_text(encoding="utf-8"), str(fragment), "exec"), {}, assigned)
    return assigned


def challenge_files(kind: str | None = None) -> list[Path]:
    """The challenge files under snippets/challenges/, or those of one kind, as authored."""
    import tomllib

    files = sorted((SNIPPETS / "challenges").glob("*.toml"))
    if kind is None:
        return files
    return [p for p in files if tomllib.loads(p.read_text(encoding="utf-8")).get("kind") == kind]
