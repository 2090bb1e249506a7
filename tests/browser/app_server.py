"""Voilà and Jupyter Notebook 7 for the browser tests, run and stopped like lab_server's JupyterLab.

Each serves a temp root with every Jupyter directory under its own ``home``; leaving the
``with`` block stops its kernels, the server, and anything whose command line names ``home``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from lab_server import JupyterLabServer, _stop_when_parent_dies

__all__ = ["NotebookServer", "VoilaServer"]


class _AppServer(JupyterLabServer):
    """A server whose command line is :meth:`command`; ready once its port accepts a connection."""

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self, timeout: float = 60) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self._write_user_settings()
        self._log = self.log_path.open("w")
        self._process = subprocess.Popen(
            self.command(),
            cwd=self.root,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_stop_when_parent_dies,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"{self.command()[2]} exited with {self._process.returncode}:\n{self.log_tail()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"{self.command()[2]} not ready after {timeout} s:\n{self.log_tail()}")


class VoilaServer(_AppServer):
    """``voila NOTEBOOK``: the lesson as an app (code hidden, outputs and widgets live)."""

    def __init__(self, root, home, notebook: str, pythonpath=None):
        super().__init__(root, home, pythonpath)
        self.notebook = notebook

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "voila", self.notebook, "--no-browser",
            "--Voila.ip=127.0.0.1", f"--port={self.port}", "--Voila.port_retries=0",
        ]  # fmt: skip

    def kernels(self) -> list[dict]:
        return []  # Voilà has no kernels API; its kernels are stopped by path in stop()


class NotebookServer(_AppServer):
    """``jupyter notebook`` (Notebook 7), with the same user settings as the JupyterLab tests."""

    def command(self) -> list[str]:
        settings = self.home / "settings"
        return [
            sys.executable, "-m", "notebook", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={self.root}", f"--JupyterNotebookApp.user_settings_dir={settings}",
            f"--JupyterNotebookApp.workspaces_dir={self.home / 'workspaces'}",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]  # fmt: skip
