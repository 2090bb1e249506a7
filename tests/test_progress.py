"""Tests for progress.py: saving and restoring a student's right answers."""

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab_utils_backprop.notebook import progress, progress_file
from lab_utils_backprop.notebook.progress import ProgressStore, ProgressWarning, graph_key

EQUATIONS = "a = 2 + 3*w\nJ = a**2"
VALUES = {"w": 3}


@pytest.fixture
def path(tmp_path):
    return tmp_path / "progress.json"


@pytest.fixture
def quiet():
    """Fail on any warning: a working folder must not bother the student."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def recorded_warnings(action):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = action()
    return [w for w in caught if issubclass(w.category, ProgressWarning)], result


def tmp_files(folder):
    return [name for name in os.listdir(folder) if name.endswith(".tmp")]


def permission_denied(*args, **kwargs):
    raise PermissionError(13, "Permission denied")


# graph_key


def test_key_ignores_whitespace_and_blank_lines():
    key = graph_key(EQUATIONS, VALUES)
    assert key == graph_key("  a=2+3 * w \n\n\tJ = a ** 2\n", {"w": 3})
    assert key == graph_key(["a = 2 + 3*w", "J = a**2"], VALUES)


def test_key_changes_with_any_equation_value_or_param():
    key = graph_key(EQUATIONS, VALUES)
    others = [
        graph_key("a = 2 + 4*w\nJ = a**2", VALUES),
        graph_key("J = a**2\na = 2 + 3*w", VALUES),
        graph_key(EQUATIONS, {"w": 4}),
        graph_key(EQUATIONS, {"w": 3.0}),
        graph_key(EQUATIONS, {"w": 3, "b": 1}),
        graph_key(EQUATIONS, VALUES, params={"w": "trainable"}),
        graph_key(EQUATIONS, VALUES, params=["w"]),
    ]
    assert len({key, *others}) == len(others) + 1


def test_key_does_not_depend_on_order_of_values_or_params():
    assert graph_key("J = a*b", {"a": 1, "b": 2}) == graph_key("J = a*b", {"b": 2, "a": 1})
    assert graph_key("J = a*b", {}, ["b", "a"]) == graph_key("J = a*b", {}, ("a", "b"))


def test_key_is_stable_across_processes_and_releases():
    # A literal: changing the canonical form orphans every student's saved progress.
    code = "from lab_utils_backprop.notebook.progress import graph_key; print(graph_key(%r, %r))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env["PYTHONPATH"] = str(Path(progress.__file__).parents[1])  # where this run found it
    out = subprocess.run(
        [sys.executable, "-c", code % (EQUATIONS, VALUES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == graph_key(EQUATIONS, VALUES) == "d5db097db375a16e"


# Saving and restoring


def test_round_trip_and_restore_after_restart(path, quiet):
    store = ProgressStore(path)
    assert store.load("k") == {}
    store.record("k", "a", "11")
    store.record("k", "dJ_da", "22")
    assert store.load("k") == {"a": "11", "dJ_da": "22"}
    restarted = ProgressStore(path)  # a new kernel, the next day
    assert restarted.load("k") == {"a": "11", "dJ_da": "22"}
    assert restarted.load("other") == {}
    assert store.notices == restarted.notices == []


def test_load_returns_a_copy(path):
    store = ProgressStore(path)
    store.save("k", {"a": "1"})
    store.load("k")["a"] = "tampered"
    assert store.load("k") == {"a": "1"}


def test_save_replaces_the_entry_and_forget_removes_one_box(path, quiet):
    store = ProgressStore(path)
    store.save("k", {"a": "1", "b": "2"})
    store.save("k", {"c": "3"})
    assert ProgressStore(path).load("k") == {"c": "3"}
    store.record("k", "d", "4")
    store.forget("k", "c")
    store.forget("k", "never answered")
    assert ProgressStore(path).load("k") == {"d": "4"}


def test_clear_drops_only_that_graph(path, quiet):
    store = ProgressStore(path)
    store.record("k1", "a", "1")
    store.record("k2", "a", "2")
    store.clear("k1")
    assert ProgressStore(path).load("k1") == {}
    assert ProgressStore(path).load("k2") == {"a": "2"}
    store.clear("k2")
    assert json.loads(path.read_text())["graphs"] == {}


def test_nothing_is_written_until_there_is_something_to_keep(tmp_path, quiet):
    store = ProgressStore(tmp_path / "sub" / "progress.json")
    store.load("k")
    store.clear("k")
    store.forget("k", "a")
    assert not (tmp_path / "sub").exists()


def test_default_file_is_in_a_folder_beside_the_notebook(tmp_path, monkeypatch, quiet):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    store = ProgressStore()
    assert store.path == tmp_path / ".lab_utils_backprop" / "progress-ada.json"
    store.record("k", "a", "1")
    monkeypatch.chdir(tmp_path.parent)  # the store keeps its file
    assert store.path.is_file()
    assert store.load("k") == {"a": "1"}
    assert repr(store) == f"ProgressStore({str(store.path)!r})"


def test_file_is_small_sorted_ascii_json(path):
    store = ProgressStore(path)
    store.record("k", "b", "2 · π")
    store.record("k", "a", "1")
    data = path.read_bytes()
    assert data.isascii() and data.endswith(b"\n") and b"\n" not in data[:-1]
    doc = json.loads(data)
    assert doc["version"] == 1
    assert doc["graphs"]["k"]["answers"] == {"a": "1", "b": "2 · π"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["graphs"]["k"]["updated"])
    assert data.index(b'"a"') < data.index(b'"b"')


def test_stores_of_two_graphs_on_one_file_keep_each_other(path, quiet):
    first, second = ProgressStore(path), ProgressStore(path)
    first.record("k1", "a", "1")
    second.record("k2", "x", "9")
    first.record("k1", "b", "2")
    second.forget("k2", "x")
    second.record("k2", "y", "8")
    restarted = ProgressStore(path)
    assert restarted.load("k1") == {"a": "1", "b": "2"}
    assert restarted.load("k2") == {"y": "8"}


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.load(1),
        lambda s: s.save(b"k", {}),
        lambda s: s.save("k", {1: "a"}),
        lambda s: s.save("k", {"a": 1}),
        lambda s: s.record("k", None, "1"),
        lambda s: s.record("k", "a", 1.0),
        lambda s: s.forget("k", 0),
        lambda s: s.clear(None),
    ],
)
def test_programming_errors_raise(path, call):
    with pytest.raises(TypeError, match="must be a str"):
        call(ProgressStore(path))


# Atomic writes


def test_no_temporary_file_is_left_behind(path, quiet):
    store = ProgressStore(path)
    for i in range(5):
        store.record("k", f"box{i}", str(i))
    assert sorted(os.listdir(path.parent)) == ["progress.json", "progress.json.lock"]


def test_a_failed_replace_keeps_the_old_file_and_says_so_once(path, monkeypatch):
    store = ProgressStore(path)
    store.record("k", "a", "1")
    before = path.read_bytes()
    monkeypatch.setattr(os, "replace", permission_denied)
    caught, _ = recorded_warnings(lambda: [store.record("k", b, "2") for b in "bcd"])
    assert path.read_bytes() == before
    assert tmp_files(path.parent) == []
    assert len(caught) == 1 and len(store.notices) == 1
    assert store.notices[0] == (
        "Progress can't be saved here (Permission denied); your answers still count in this session."
    )
    assert str(caught[0].message) == store.notices[0]
    assert caught[0].filename == __file__  # points at the caller, not at progress.py
    assert store.load("k") == {"a": "1", "b": "2", "c": "2", "d": "2"}


def test_a_write_interrupted_midway_keeps_the_old_file(path, monkeypatch):
    store = ProgressStore(path)
    store.record("k", "a", "1")
    before = path.read_bytes()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.warns(ProgressWarning, match=r"\(No space left on device\)"):
        store.record("k", "b", "2")
    assert path.read_bytes() == before
    assert tmp_files(path.parent) == []


# A corrupt or unreadable file


def write_json(doc):
    return lambda p: p.write_text(json.dumps(doc))


CORRUPTIONS = {
    "garbage bytes": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff"),
    "empty": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_text('{"version": 1, "graphs": {"k": {"ans'),
    "not utf-8": lambda p: p.write_bytes(b'{"version": 1, "graphs": {"\xe9": 1}}'),
    "deeply nested": lambda p: p.write_text("[" * 100_000 + "]" * 100_000),
    "a list": write_json([1, 2]),
    "no version": write_json({"graphs": {}}),
    "version 2": write_json({"version": 2, "graphs": {}}),
    "version true": write_json({"version": True, "graphs": {}}),
    "version string": write_json({"version": "1", "graphs": {}}),
    "graphs a list": write_json({"version": 1, "graphs": []}),
    "entry not a dict": write_json({"version": 1, "graphs": {"k": "a=1"}}),
    "answers a list": write_json({"version": 1, "graphs": {"k": {"answers": ["1"]}}}),
    "answer a number": write_json({"version": 1, "graphs": {"k": {"answers": {"a": 1}}}}),
    "updated a number": write_json({"version": 1, "graphs": {"k": {"answers": {}, "updated": 3}}}),
}


def backups(folder):
    return sorted(p for p in folder.iterdir() if ".corrupt-" in p.name)


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_file_is_kept_aside_once_and_the_lesson_goes_on(path, corrupt):
    corrupt(path)
    old = path.read_bytes()
    store = ProgressStore(path)
    caught, answers = recorded_warnings(lambda: store.load("k"))
    assert answers == {}
    [backup] = backups(path.parent)
    assert backup.read_bytes() == old
    assert not path.exists()
    assert len(caught) == 1 and store.notices == [str(caught[0].message)]
    assert store.notices[0] == (
        f"Your saved progress file was unreadable; it was kept as {backup.name} and a new one started."
    )
    store.record("k", "a", "1")
    assert ProgressStore(path).load("k") == {"a": "1"}
    # Corrupt again in the same session: kept aside again, but not told twice.
    corrupt(path)
    caught, answers = recorded_warnings(lambda: store.load("k"))
    assert answers == {} and caught == [] and len(store.notices) == 1
    assert len(backups(path.parent)) == 2


def test_a_directory_in_place_of_the_file_is_kept_aside(path):
    path.mkdir()
    (path / "inside.txt").write_text("keep me")
    store = ProgressStore(path)
    with pytest.warns(
        ProgressWarning, match=r"was unreadable \(it is a folder, not a file\); it was kept as"
    ):
        store.record("k", "a", "1")
    [backup] = backups(path.parent)
    assert (backup / "inside.txt").read_text() == "keep me"
    assert ProgressStore(path).load("k") == {"a": "1"}


def test_an_older_backup_is_never_overwritten(path, monkeypatch):
    monkeypatch.setattr(progress, "_timestamp", lambda: "20240101T000000")
    older = path.with_name("progress.json.corrupt-20240101T000000")
    older.write_bytes(b"older")
    path.write_bytes(b"newer")
    with pytest.warns(ProgressWarning, match="kept as progress.json.corrupt-20240101T000000-1"):
        ProgressStore(path).load("k")
    assert older.read_bytes() == b"older"
    assert path.with_name(older.name + "-1").read_bytes() == b"newer"


def test_a_corrupt_file_that_cannot_be_moved_is_left_untouched(path, monkeypatch):
    path.write_bytes(b"not json")
    monkeypatch.setattr(os, "rename", permission_denied)
    store = ProgressStore(path)
    caught, _ = recorded_warnings(lambda: [store.record("k", "a", "1"), store.record("k", "b", "2")])
    assert path.read_bytes() == b"not json"
    assert len(caught) == 1 and len(store.notices) == 1
    assert "could not be kept aside (Permission denied)" in store.notices[0]
    assert "count in this session only" in store.notices[0]
    assert store.load("k") == {"a": "1", "b": "2"}


# A read-only folder


def test_a_read_only_folder_simulated(path, monkeypatch):
    # A read-only folder refuses the temporary file; this runs even as root.
    monkeypatch.setattr(tempfile, "mkstemp", permission_denied)
    store = ProgressStore(path)
    caught, _ = recorded_warnings(
        lambda: [
            store.record("k", "a", "1"),
            store.record("k", "b", "2"),
            store.clear("j"),
        ]
    )
    assert len(caught) == 1
    assert store.notices == [
        ("Progress can't be saved here (Permission denied); your answers still count in this session.")
    ]
    assert store.load("k") == {"a": "1", "b": "2"}
    assert not path.exists()
    # The folder becomes writable again: what was kept in memory reaches the file.
    monkeypatch.undo()
    store.record("k", "c", "3")
    assert ProgressStore(path).load("k") == {"a": "1", "b": "2", "c": "3"}


def _read_only_folder_checks(folder):
    store = ProgressStore(folder / "progress.json")
    assert store.load("k") == {"a": "1"}
    with pytest.warns(ProgressWarning, match="can't be saved here"):
        store.record("k", "b", "2")
    assert store.load("k") == {"a": "1", "b": "2"}
    assert ProgressStore(folder / "progress.json").load("k") == {"a": "1"}


def _exit_code_as(user, check, *args) -> int:
    """Run ``check`` in a forked child that has become ``user``."""
    account = pwd.getpwnam(user)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setgroups([])
            os.setgid(account.pw_gid)
            os.setuid(account.pw_uid)
            check(*args)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_read_only_folder_for_real():
    # Root writes anywhere, so as root the check runs in a child that is the user nobody.
    outer = Path(tempfile.mkdtemp(prefix="progress-readonly-"))
    folder = outer / "readonly"
    try:
        folder.mkdir()
        ProgressStore(folder / "progress.json").record("k", "a", "1")
        (folder / "progress.json").chmod(0o644)
        outer.chmod(0o755)
        folder.chmod(0o555)
        if os.geteuid() == 0:
            assert _exit_code_as("nobody", _read_only_folder_checks, folder) == 0
        else:
            _read_only_folder_checks(folder)
    finally:
        folder.chmod(0o755)
        shutil.rmtree(outer)


def test_a_file_in_place_of_our_folder(tmp_path):
    (tmp_path / ".lab_utils_backprop").write_text("someone else's file")
    store = ProgressStore(tmp_path / ".lab_utils_backprop" / "progress.json")
    with pytest.warns(ProgressWarning, match="can't be saved here"):
        store.record("k", "a", "1")
    assert store.load("k") == {"a": "1"}
    assert (tmp_path / ".lab_utils_backprop").read_text() == "someone else's file"


# Any text round-trips exactly

# Every code point, even lone surrogates and control characters.
any_text = st.text(st.characters(codec=None, exclude_categories=()))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(key=any_text, answers=st.dictionaries(any_text, any_text, max_size=8))
def test_any_text_round_trips(path, key, answers):
    ProgressStore(path).save(key, answers)
    assert ProgressStore(path).load(key) == answers


def test_very_long_text_round_trips(path):
    text = "\x00\ud800\u2028𝑥 \r\n" * 200_000
    ProgressStore(path).record("k", text[:1000], text)
    assert ProgressStore(path).load("k") == {text[:1000]: text}


# Two kernels on one file

WRITER = """
import sys, time
from pathlib import Path
from lab_utils_backprop.notebook.progress import ProgressStore
path, me, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
(path.parent / f"ready-{me}").touch()
for _ in range(3000):  # start together (at most 30 s)
    if len(list(path.parent.glob("ready-*"))) == 2:
        break
    time.sleep(0.01)
store = ProgressStore(path)
for i in range(n):
    store.record("shared", f"{me}-{i}", str(i))  # the same graph in both kernels
    store.record(f"only-{me}", f"box{i}", str(i))
    if i % 10 == 9:
        store.forget("shared", f"{me}-{i}")
"""


@pytest.mark.timeout(120)
def test_two_kernels_writing_at_once_keep_every_answer(path):
    n = 150
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), me, str(n)], stderr=subprocess.PIPE)
        for me in ("one", "two")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=110)
        assert writer.returncode == 0, err.decode()
    store = ProgressStore(path)
    kept = {f"{me}-{i}": str(i) for me in ("one", "two") for i in range(n) if i % 10 != 9}
    assert store.load("shared") == kept
    for me in ("one", "two"):
        assert store.load(f"only-{me}") == {f"box{i}": str(i) for i in range(n)}
    assert store.notices == [] and tmp_files(path.parent) == []


def test_a_store_applies_its_changes_to_what_another_wrote_meanwhile(path, quiet):
    first, second = ProgressStore(path), ProgressStore(path)
    first.record("k", "a", "1")
    second.record("k", "b", "2")
    first.forget("k", "a")
    second.clear("j")
    assert ProgressStore(path).load("k") == {"b": "2"}
    first.clear("k")
    assert not json.loads(path.read_text())["graphs"]


# Shared folders: one file per user


def test_the_default_file_is_named_for_the_user(tmp_path, monkeypatch, quiet):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert ProgressStore().path.name == f"progress-{me}.json"
    monkeypatch.setenv("JUPYTERHUB_USER", "ada lovelace/../x")
    assert ProgressStore().path.name == "progress-ada_lovelace_.._x.json"


def _student_in_shared_folder(folder, box):
    os.chdir(folder)
    os.environ.pop("JUPYTERHUB_USER", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any notice fails this student
        store = ProgressStore()
        store.record("k", box, "1")
        assert ProgressStore().load("k") == {box: "1"}
        assert store.notices == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as two other users")
def test_students_sharing_a_course_folder_each_keep_their_own_file():
    course = Path(tempfile.mkdtemp(prefix="progress-course-"))
    try:
        course.chmod(0o1777)  # a common folder every student may write to
        assert _exit_code_as("daemon", _student_in_shared_folder, course, "a") == 0
        assert _exit_code_as("nobody", _student_in_shared_folder, course, "b") == 0
        folder = course / ".lab_utils_backprop"
        assert folder.stat().st_mode & 0o1022 == 0o1022  # others may add files, not remove them
        files = {p.name: p.stat() for p in folder.glob("progress-*.json")}
        assert sorted(files) == ["progress-daemon.json", "progress-nobody.json"]
        assert {name: oct(info.st_mode & 0o777) for name, info in files.items()} == {
            "progress-daemon.json": "0o600",
            "progress-nobody.json": "0o600",
        }
    finally:
        shutil.rmtree(course)


def test_a_private_folder_stays_private(tmp_path, monkeypatch, quiet):
    tmp_path.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    ProgressStore().record("k", "a", "1")
    assert (tmp_path / ".lab_utils_backprop").stat().st_mode & 0o7022 == 0


# Things that are not a progress file, refused at once


def fifo(p):
    os.mkfifo(p)


def link_to(device):
    return lambda p: p.symlink_to(device)


def huge(p):
    with open(p, "wb") as file:
        file.truncate(progress_file.MAX_BYTES + 1)  # sparse: no disk used


SPECIAL = {
    "a FIFO": (fifo, "it is a FIFO, not a file"),
    "a link to /dev/urandom": (link_to("/dev/urandom"), "it is a device, not a file"),
    "a link to /dev/zero": (link_to("/dev/zero"), "it is a device, not a file"),
    "a link to nothing": (link_to("/nonexistent/progress.json"), "it is a link to nothing"),
    "a huge file": (huge, "it is too large (8,388,609 bytes)"),
}


@pytest.mark.timeout(30)  # a hang fails here instead of stalling the suite
@pytest.mark.parametrize("make, reason", SPECIAL.values(), ids=SPECIAL.keys())
def test_a_special_file_is_refused_with_one_notice(path, make, reason):
    make(path)
    store = ProgressStore(path)
    caught, answers = recorded_warnings(lambda: [store.load("k"), store.record("k", "a", "1")])
    assert answers == [{}, None]
    [backup] = backups(path.parent)
    assert len(caught) == 1 and store.notices == [str(caught[0].message)]
    assert store.notices[0] == (
        f"Your saved progress file was unreadable ({reason}); it was kept as {backup.name} "
        "and a new one started."
    )
    assert ProgressStore(path).load("k") == {"a": "1"}
    assert path.is_file() and not path.is_symlink()


def test_a_file_an_editor_saved_with_a_byte_order_mark_is_read(path, quiet):
    doc = {"version": 1, "graphs": {"k": {"answers": {"a": "−4"}, "updated": ""}}}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    store = ProgressStore(path)
    assert store.load("k") == {"a": "−4"}
    store.record("k", "b", "2")
    assert ProgressStore(path).load("k") == {"a": "−4", "b": "2"}
