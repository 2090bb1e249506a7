"""The progress file on disk: whose it is, read safely, written atomically, under a lock.

Why a module of its own: a lesson folder may be shared (a JupyterHub course folder, two
lessons open at once), and what lies at the file's path may be anything a student or a tool
left there. Each function here answers one of those risks:

- :func:`default_path` gives every user a file of their own, so students never share one.
- :func:`make_folder` creates the hidden folder with the write bits its parent folder grants
  (plus the sticky bit, as /tmp has), so each later student can add a file of their own.
- :func:`read_file` reads a regular file of bounded size only: a FIFO, a device, a link to
  /dev/zero or a huge file is a :class:`NotARegularFileError` at once, never a hang.
- :func:`locked` holds an exclusive lock on a companion ``.lock`` file while a store reads,
  merges and rewrites, so two kernels never lose each other's answers.
- :func:`write_atomically` writes a temporary file and renames it over the old one.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX; elsewhere the store writes without a lock (one kernel at a time).
    import fcntl
    import pwd
except ImportError:  # pragma: no cover - Windows
    fcntl = pwd = None

__all__ = [
    "MAX_BYTES",
    "NotAProgressFileError",
    "NotARegularFileError",
    "default_path",
    "locked",
    "make_folder",
    "parse",
    "read_file",
    "write_atomically",
]

FOLDER = ".lab_utils_backprop"
#: A progress file larger than this is not one (a full course is a few tens of kilobytes).
MAX_BYTES = 8 * 1024 * 1024

_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class NotAProgressFileError(ValueError):
    """What lies at the path is not a progress file (wrong kind, too large, wrong shape)."""


class NotARegularFileError(NotAProgressFileError):
    """What lies at the path is no regular file of a sensible size; the message says what it is."""


def user_name() -> str:
    """The student's name for file names: JupyterHub's user, else the account's, else the uid.

    The account comes from the effective uid, not from $USER, which a kernel may inherit
    from whoever started the server.

    Examples
    --------
    >>> bool(re.fullmatch(r"[A-Za-z0-9._-]+", user_name()))
    True
    """
    name = os.environ.get("JUPYTERHUB_USER", "")
    if not name and pwd is not None:
        with contextlib.suppress(KeyError):  # a uid without a passwd entry (some containers)
            name = pwd.getpwuid(os.geteuid()).pw_name
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = str(os.geteuid()) if hasattr(os, "geteuid") else "student"
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:64] or "student"


def default_path(folder: Path) -> Path:
    """``folder/.lab_utils_backprop/progress-USER.json``: one file per user in a shared folder.

    Examples
    --------
    >>> default_path(Path("/course")).name.startswith("progress-")
    True
    """
    return folder / FOLDER / f"progress-{user_name()}.json"


def make_folder(folder: Path) -> None:
    """Create ``folder`` if needed; in a folder others may write to, let them add files too.

    The new folder gets the group and other write bits of its parent and then the sticky
    bit, so every student can create their own file and none can remove another's.
    """
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        shared = folder.parent.stat().st_mode & 0o022
        if shared:
            mode = stat.S_IMODE(folder.stat().st_mode) | shared | 0o055 | stat.S_ISVTX
            folder.chmod(mode)


def read_file(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path`` (None if nothing is there).

    Raises NotARegularFileError at once for anything else (never blocks on a FIFO, never
    reads a device or more than :data:`MAX_BYTES`), and OSError when it cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        kind = stat.S_IFMT(os.stat(path).st_mode)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise NotARegularFileError("it is a link to nothing") from None
        return None
    if kind != stat.S_IFREG:
        raise NotARegularFileError(f"it is {_KINDS.get(kind, 'not a regular file')}, not a file")
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped for something else since the stat above
            raise NotARegularFileError("it is not a regular file")
        if info.st_size > MAX_BYTES:
            raise NotARegularFileError(f"it is too large ({info.st_size:,} bytes)")
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise NotARegularFileError("it is too large")
    return data


def parse(data: bytes, version: int) -> dict:
    """Return the graphs of a progress file; ValueError if the bytes are not one."""
    doc = json.loads(data.decode("utf-8-sig"))  # a BOM from an editor is harmless
    if not isinstance(doc, dict) or type(doc.get("version")) is not int:
        raise NotAProgressFileError("not a progress file")
    if doc["version"] != version:
        raise NotAProgressFileError(f"unknown version {doc['version']}")
    graphs = doc.get("graphs")
    if not isinstance(graphs, dict):
        raise NotAProgressFileError("no graphs")
    for entry in graphs.values():
        answers = entry.get("answers") if isinstance(entry, dict) else None
        if not isinstance(answers, dict) or not isinstance(entry.get("updated", ""), str):
            raise NotAProgressFileError("a graph entry of the wrong shape")
        if not all(isinstance(text, str) for text in answers.values()):
            raise NotAProgressFileError("an answer that is not text")
    return {key: {"answers": e["answers"], "updated": e.get("updated", "")} for key, e in graphs.items()}


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path.lock`` (created beside it) for the block's duration."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, sync it, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
