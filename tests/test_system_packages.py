"""scripts/system-packages on made-up machines: a PATH of stub programs decides what it finds."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "system-packages"
ALL_MISSING = "chromium fonts-noto-core postgresql apache2-bin apache2-dev"
# What Debian's packages bring, as stubs: chromium, fontconfig's fc-list finding Noto Sans,
# PostgreSQL's initdb and pg_ctl, Apache's apxs naming the apache2 server beside it.
INSTALLED_PROGRAMS = {
    "chromium": "",
    "fc-list": "",
    "initdb": "",
    "pg_ctl": "",
    "apxs": 'case "$2" in SBINDIR) echo "{bin}";; TARGET) echo apache2;; esac',
    "apache2": "",
}
# Records each call, and on `install` copies the stubs above onto PATH as the real one would.
FAKE_APT_GET = """\
echo "$DEBIAN_FRONTEND $*" >> "{log}"
[ "$1" = install ] || exit 0
/bin/cp "{stubs}"/* "{bin}"
"""


def write_program(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


class Machine:
    """A folder of stub programs that is the whole PATH of the script under test."""

    def __init__(self, root: Path):
        self.bin = root / "bin"
        self.bin.mkdir()
        self.apt_log = root / "apt-get.log"
        self.postgresql_lib = root / "usr-lib-postgresql"
        self.stubs = root / "stubs"
        self.stubs.mkdir()
        for name, body in INSTALLED_PROGRAMS.items():
            write_program(self.stubs / name, body.format(bin=self.bin))
        os.symlink(shutil.which("env"), self.bin / "env")

    def program(self, name: str, body: str = "") -> None:
        write_program(self.bin / name, body)

    def with_everything(self) -> "Machine":
        for stub in self.stubs.iterdir():
            shutil.copy(stub, self.bin)
        return self

    def as_user(self, uid: int) -> "Machine":
        self.program("id", f"echo {uid}")
        return self

    def with_apt_get(self, body: str | None = None) -> "Machine":
        self.program(
            "apt-get", body or FAKE_APT_GET.format(log=self.apt_log, stubs=self.stubs, bin=self.bin)
        )
        return self

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text().splitlines() if self.apt_log.exists() else []

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {"PATH": str(self.bin), "POSTGRESQL_BINDIRS": f"{self.postgresql_lib}/*/bin"}
        return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True)


@pytest.fixture
def machine(tmp_path):
    return Machine(tmp_path)


def test_machine_that_has_everything_gets_nothing_done_and_nothing_printed(machine):
    result = machine.with_everything().as_user(1000).run()

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_user_who_cannot_install_is_told_exactly_which_packages_to_install(machine):
    result = machine.as_user(1000).with_apt_get().run()

    assert result.returncode == 1
    assert f"apt-get install {ALL_MISSING}" in result.stderr
    assert machine.apt_calls() == []


def test_machine_without_apt_get_is_told_which_packages_to_install(machine):
    result = machine.as_user(0).run()

    assert result.returncode == 1
    assert f"apt-get install {ALL_MISSING}" in result.stderr


def test_root_updates_once_then_installs_the_missing_packages_non_interactively(machine):
    result = machine.as_user(0).with_apt_get().run()

    assert result.returncode == 0, result.stderr
    assert machine.apt_calls() == [
        " update -qq",
        f"noninteractive install -y -qq {ALL_MISSING}",
    ]


def test_user_with_password_less_sudo_installs_through_sudo(machine):
    machine.as_user(1000).with_apt_get()
    machine.program("sudo", '[ "$1" = -n ] && shift; "$@"')

    result = machine.run("--dry-run")

    assert result.stdout == (
        f"would run: sudo -n apt-get update -qq && sudo -n apt-get install -y -qq {ALL_MISSING}\n"
    )


def test_dry_run_says_what_it_would_install_and_installs_nothing(machine):
    result = machine.as_user(0).with_apt_get().run("--dry-run")

    assert result.returncode == 0
    assert result.stdout == (
        f"would run: apt-get update -qq && apt-get install -y -qq {ALL_MISSING}\n"
    )
    assert machine.apt_calls() == []


def test_postgresql_in_debians_versioned_folder_off_path_counts_as_installed(machine):
    versioned = machine.postgresql_lib / "15" / "bin"
    versioned.mkdir(parents=True)
    for name in ("initdb", "pg_ctl"):
        (versioned / name).write_text("#!/bin/sh\n")
        (versioned / name).chmod(0o755)

    result = machine.as_user(0).with_apt_get().run("--dry-run")

    assert result.stdout.endswith(
        "apt-get install -y -qq chromium fonts-noto-core apache2-bin apache2-dev\n"
    )


def test_failed_apt_get_ends_with_the_packages_to_install(machine):
    result = machine.as_user(0).with_apt_get("exit 100").run()

    assert result.returncode == 1
    assert f"apt-get install {ALL_MISSING}" in result.stderr


def test_apxs_naming_a_server_that_is_not_there_counts_as_apache_missing(machine):
    machine.with_everything()
    (machine.bin / "apache2").unlink()

    result = machine.as_user(0).with_apt_get().run("--dry-run")

    assert result.stdout.endswith("apt-get install -y -qq apache2-bin apache2-dev\n")
