"""As a new user: build the sdist and the wheel, install the wheel into fresh venvs, get the course.

- the wheel on this Python, base install only: ``backprop-lessons`` and ``python -m
  lab_utils_backprop lessons`` give the lessons with their pictures; ``images`` writes into
  the current folder, never into the package; ``new`` says it needs the ``lab`` extra;
- the lowest and the newest supported Python (3.11, 3.12) with the ``lab`` extra, pinned by
  the lock and installed with ``--no-index`` from a wheelhouse: the main lesson, copied out,
  runs to its end (a smoke run; CI sets LAB_UTILS_BACKPROP_REQUIRE_PYTHONS so a missing
  Python fails instead of skipping);
- Python 3.10 is refused by pip with a clear message (the README's claim is 3.11+);
- the unpacked sdist runs its own tests.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements-lock.txt"
LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
REQUIRE = os.environ.get("LAB_UTILS_BACKPROP_REQUIRE_PYTHONS") == "1"


#: The commands run as a new user's would: no PYTHONPATH, never in the checkout (cwd).
CLEAN_ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def run(*args, cwd, check=True, timeout=600):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=CLEAN_ENV, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def find_python(version: str) -> str | None:
    """A python{version} on this machine: pyenv's, else one on PATH that really runs."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(str(root / "versions" / f"{version}.*" / "bin" / f"python{version}")))
    candidates += [found for found in [shutil.which(f"python{version}")] if found]
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version)"], capture_output=True, text=True
        )
        if probe.returncode == 0 and probe.stdout.startswith(version + "."):
            return candidate
    return None


def python_or_skip(version: str) -> str:
    found = find_python(version)
    if found is None:
        message = f"no Python {version} on this machine"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel, built from this checkout offline (this venv's setuptools)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO, cwd=out)
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


def fresh_venv(path: Path, python: str = sys.executable) -> Path:
    if python == sys.executable:
        venv.EnvBuilder(with_pip=True).create(path)
    else:
        run(python, "-m", "venv", path, cwd=path.parent)
    return path / "bin"


def install(bin_: Path, wheel: Path, extra: str, folder: Path) -> None:
    """Install the wheel (with ``extra``) as a new user would, pinned by the lock.

    The venv's own pip gathers every wheel it needs at the lock's versions (building any
    that come as an sdist), then installs from that folder alone (``--no-index``): so the lock
    pins a complete set for that Python.
    """
    house = folder / "wheels"
    target = f"{wheel}{extra}"
    run(bin_ / "pip", "wheel", "--quiet", "--wheel-dir", house, "-c", LOCK, target, cwd=folder)
    run(
        bin_ / "pip",
        "install",
        "--quiet",
        "--no-index",
        "--find-links",
        house,
        "-c",
        LOCK,
        target,
        cwd=folder,
    )


def test_the_wheel_gives_a_student_the_course(dist, tmp_path):
    _, wheel = dist
    bin_ = fresh_venv(tmp_path / "venv")
    install(bin_, wheel, "", tmp_path)
    where = "import lab_utils_backprop, os; print(os.path.dirname(lab_utils_backprop.__file__))"
    package = Path(run(bin_ / "python", "-c", where, cwd=tmp_path).stdout.strip())
    assert package.is_relative_to(tmp_path / "venv")
    before = sorted(p.relative_to(package) for p in package.rglob("*") if "__pycache__" not in p.parts)
    # Every module of the checkout is in the wheel.
    modules = sorted(
        p.relative_to(REPO / "lab_utils_backprop") for p in (REPO / "lab_utils_backprop").rglob("*.py")
    )
    assert set(modules) <= set(before)

    home = tmp_path / "student"
    home.mkdir()
    shown = run(bin_ / "backprop-lessons", "course", cwd=home)
    assert f"wrote {len(LESSONS)} files" in shown.stdout
    run(bin_ / "python", "-m", "lab_utils_backprop", "lessons", "again", cwd=home)
    for dest in (home / "course", home / "again"):
        assert sorted(p.name for p in dest.iterdir()) == LESSONS
        text = (dest / "backprop_computation_graph.ipynb").read_text(encoding="utf-8")
        sources = "".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        assert "../images" not in sources and text.count('"image/png": "iVBOR') >= 7
        assert (dest / "backprop_computation_graph.ipynb").read_bytes() == (
            home / "again" / "backprop_computation_graph.ipynb"
        ).read_bytes()

    drawn = run(bin_ / "lab-utils-backprop", "images", cwd=home)
    assert "wrote 11 images to images" in drawn.stdout
    assert sorted(p.name for p in (home / "images").iterdir()) == sorted(
        p.name for p in (REPO / "images").iterdir()
    )

    new = run(bin_ / "lab-utils-backprop", "new", "-e", "J = 3*w", "-o", "x.ipynb", cwd=home, check=False)
    assert new.returncode == 2
    assert new.stderr.strip() == (
        "error: `new` needs the lab extra (nbformat is missing): pip install 'lab_utils_backprop[lab]'"
    )
    after = sorted(p.relative_to(package) for p in package.rglob("*") if "__pycache__" not in p.parts)
    assert after == before  # nothing written into the package


@pytest.mark.parametrize("version", ["3.11", "3.12"])
def test_smoke_on_the_lowest_and_newest_python(dist, tmp_path, version):
    python = python_or_skip(version)
    _, wheel = dist
    bin_ = fresh_venv(tmp_path / "venv", python)
    install(bin_, wheel, "[lab]", tmp_path)
    run(bin_ / "backprop-lessons", tmp_path / "course", cwd=tmp_path)
    lesson = tmp_path / "course" / "backprop_computation_graph.ipynb"
    # The main lesson runs to its end on that Python, in a fresh kernel of that venv.
    stored = run(bin_ / "lab-utils-backprop", "restore", lesson, cwd=tmp_path, timeout=900)
    assert "stored the outputs of 1 of 1 notebook(s)" in stored.stdout
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    printed = "".join(
        "".join(out.get("text", ""))
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for out in cell["outputs"]
    )
    assert "a = 11, J = 121\n" in printed and "c = -4, a = 4, d = 3, J = 4.5\n" in printed


def test_python_3_10_is_refused_with_a_clear_message(dist, tmp_path):
    python = python_or_skip("3.10")
    _, wheel = dist
    bin_ = fresh_venv(tmp_path / "venv", python)
    refused = run(bin_ / "pip", "install", "--no-index", "--no-deps", wheel, cwd=tmp_path, check=False)
    assert refused.returncode != 0
    assert "requires a different Python" in refused.stdout + refused.stderr
    assert ">=3.11" in refused.stdout + refused.stderr


def test_the_sdist_runs_its_own_tests(dist, tmp_path):
    sdist, _ = dist
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    (root,) = tmp_path.iterdir()
    for needed in ("LICENSE", "tests/conftest.py", "notebooks/backprop_computation_graph.ipynb", "images"):
        assert (root / needed).exists(), needed
    where = run(
        sys.executable, "-c", "import lab_utils_backprop; print(lab_utils_backprop.__file__)", cwd=root
    )
    assert Path(where.stdout.strip()).is_relative_to(root)  # the sdist's own code is tested
    tests = run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
        "tests/test_graph.py", "tests/test_lessons_command.py", "tests/test_progress.py",
        cwd=root, timeout=900,
    )  # fmt: skip
    assert " passed" in tests.stdout and "failed" not in tests.stdout


def test_binder_sets_up_the_lessons_on_a_python_ci_tests(dist, tmp_path):
    runtime = (REPO / "binder" / "runtime.txt").read_text().strip()
    assert runtime.startswith("python-")
    version = runtime.removeprefix("python-")
    assert version in ("3.11", "3.12")  # the Pythons the smoke test above runs
    python = python_or_skip(version)
    sdist, _ = dist
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "repo", filter="data")
    (repo,) = (tmp_path / "repo").iterdir()
    bin_ = fresh_venv(tmp_path / "venv", python)
    env = {**CLEAN_ENV, "PATH": os.pathsep.join([str(bin_), CLEAN_ENV.get("PATH", "")])}
    # repo2docker runs binder/postBuild at the top of the repository, its Python first on PATH.
    built = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )
    assert built.returncode == 0, built.stdout + built.stderr
    overrides = tmp_path / "venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    settings = json.loads(overrides.read_text())
    assert settings["@jupyterlab/notebook-extension:tracker"] == {"windowingMode": "none"}
    pins = dict(line.split("==") for line in LOCK.read_text().split() if "==" in line)
    shown = run(bin_ / "python", "-m", "pip", "list", "--format=json", cwd=tmp_path).stdout
    installed = {p["name"].lower(): p["version"] for p in json.loads(shown)}
    for name in ("jupyterlab", "ipympl", "ipywidgets", "numpy", "matplotlib"):
        assert installed[name] == pins[next(k for k in pins if k.lower() == name)], name
    assert "lab_utils_backprop" in installed or "lab-utils-backprop" in installed
    run(bin_ / "backprop-lessons", tmp_path / "course", cwd=tmp_path)
    assert sorted(p.name for p in (tmp_path / "course").iterdir()) == LESSONS
