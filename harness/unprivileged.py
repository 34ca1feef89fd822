"""How the harness runs a server that refuses root (Apache) when the tests run as root.

mod_wsgi-express as root needs --user and --group naming an account that can read this
venv's interpreter, and that often lives in root's private home (pyenv's ~/.pyenv). So the
whole server runs as `nobody` instead, keeping one capability, CAP_DAC_READ_SEARCH (read
any file, https://man7.org/linux/man-pages/man7/capabilities.7.html), and writes only to
a temporary folder that `nobody` owns.
"""

import os
import pwd
import shutil
from pathlib import Path

USER = "nobody"
CAPABILITY = "+dac_read_search"


def needed() -> bool:
    """Whether servers that refuse root must be started as USER: the tests run as root."""
    return os.geteuid() == 0


def command(argv: list[str]) -> list[str]:
    """`argv` run as USER with only CAPABILITY, through util-linux's setpriv."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError(
            "running Apache (mod_wsgi) as root needs util-linux's setpriv to drop to "
            f"{USER!r}; install util-linux or run the tests as an ordinary user"
        )
    account = pwd.getpwnam(USER)
    return [
        setpriv, f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups",
        f"--inh-caps={CAPABILITY}", f"--ambient-caps={CAPABILITY}", *argv,
    ]  # fmt: skip


def give(folder: Path) -> None:
    """Make `folder` USER's, so the server can write its configuration and logs there."""
    account = pwd.getpwnam(USER)
    os.chown(folder, account.pw_uid, account.pw_gid)
