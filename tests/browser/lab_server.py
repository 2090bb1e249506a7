"""A throwaway JupyterLab server for the browser tests: its own port, its own dirs, always stopped.

Every Jupyter directory (config, runtime, data, settings, workspaces) lives under one temp
``home``, so nothing the student or developer configured leaks in, and every process the
server starts can be found afterwards by that path in its command line.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

__all__ = ["JupyterLabServer", "free_port"]

# Settings a fresh JupyterLab would otherwise prompt about or change under the test's feet.
USER_SETTINGS = {
    # The "receive official Jupyter news?" pop-up covers the bottom right of the page.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Keep every cell in the DOM: virtualised cells would not be found by text or drawn.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# Talk to 127.0.0.1 directly, even where http_proxy is set for the outside world.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLabServer:
    """``jupyter lab`` serving ``root`` on 127.0.0.1, configured entirely under ``home``.

    Use it as a context manager: leaving the block stops the kernels, the server and any
    process it left behind, whatever happened inside.

    Parameters
    ----------
    root
        The directory the server shows; put a copy of the notebook there.
    home
        An empty temp directory for Jupyter's config, runtime, data and settings.
    pythonpath
        Prepended to the kernel's ``PYTHONPATH`` so it imports the package under test.
    """

    STOP_GRACE_SECONDS = 15

    def __init__(self, root: Path, home: Path, pythonpath: Path | None = None):
        self.root = Path(root)
        self.home = Path(home)
        self.pythonpath = pythonpath
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.home / "jupyter-lab.log"
        self.runtime_dir = self.home / "runtime"
        self._process: subprocess.Popen | None = None
        self._log = None

    def __enter__(self) -> JupyterLabServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["JUPYTER_CONFIG_DIR"] = str(self.home / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(self.runtime_dir)
        env["JUPYTER_DATA_DIR"] = str(self.home / "data")
        env["IPYTHONDIR"] = str(self.home / "ipython")
        env.pop("MPLBACKEND", None)  # the notebook chooses its own backend (%matplotlib widget)
        if self.pythonpath is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.pythonpath), env.get("PYTHONPATH")]))
        return env

    def _write_user_settings(self) -> Path:
        settings_dir = self.home / "settings"
        for relative, values in USER_SETTINGS.items():
            path = settings_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return settings_dir

    def start(self, timeout: float = 60) -> None:
        """Launch the server and return once ``/api/status`` answers 200."""
        self.home.mkdir(parents=True, exist_ok=True)
        settings_dir = self._write_user_settings()
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",  # CI containers run as root
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={self.root}",
            f"--LabApp.user_settings_dir={settings_dir}",
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
            # window.jupyterapp: the fallback when a menu click is dropped (see run_all_cells).
            "--LabApp.expose_app_in_browser=True",
        ]
        self._log = self.log_path.open("w")
        self._process = subprocess.Popen(
            command,
            cwd=self.root,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches pytest only, whose teardown stops the server in order
            preexec_fn=_stop_when_parent_dies,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self._process.returncode}:\n{self.log_tail()}")
            try:
                with _DIRECT.open(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"jupyter lab not ready after {timeout} s:\n{self.log_tail()}")

    def api(self, method: str, path: str) -> object:
        """Call the server's REST API; the decoded JSON answer, or None for an empty one."""
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method)
        with _DIRECT.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernels(self) -> list[dict]:
        """The kernels the server runs now."""
        return self.api("GET", "kernels")

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, to explain a failure."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Shut down kernels, then the server, then anything still holding this run's dirs."""
        if self._process is not None and self._process.poll() is None:
            self._delete_kernels()
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(self.STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        kill_processes_mentioning(str(self.home))
        if self._log is not None:
            self._log.close()
            self._log = None

    def _delete_kernels(self) -> None:
        try:
            for kernel in self.kernels():
                self.api("DELETE", f"kernels/{kernel['id']}")
        except (OSError, urllib.error.URLError, ValueError):
            pass  # the server is going down anyway; leftovers are killed by path below


def _stop_when_parent_dies() -> None:
    """In the server's process, before exec: ask Linux for SIGTERM should pytest die without teardown.

    A killed pytest (SIGKILL, an OOM kill, a cancelled CI job) runs no fixture teardown; the
    server then shuts down itself and its kernels. Playwright's driver does the same for Chromium.
    """
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def kill_processes_mentioning(text: str) -> list[int]:
    """SIGKILL every process whose command line contains ``text``; the PIDs killed.

    Kernels and browser helpers are started by others (the server, Chromium), so their PIDs
    are not ours to know; the temp path in their command line is.
    """
    killed = []
    for process in psutil.process_iter(["cmdline"]):
        if process.pid != os.getpid() and any(text in part for part in process.info["cmdline"] or []):
            try:
                process.kill()
                killed.append(process)
            except psutil.NoSuchProcess:
                pass
    psutil.wait_procs(killed, timeout=5)
    return [process.pid for process in killed]
