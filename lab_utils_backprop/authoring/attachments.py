"""Pictures a lesson's markdown links (``![...](../images/x.PNG)``) carried inside the notebook.

A link that leaves the notebook's folder breaks wherever the notebook goes alone: Voilà
serves only the notebook's folder, a copied or uploaded notebook (Colab, a grader) has no
images/ beside it. A cell attachment travels with the cell, and JupyterLab, Notebook 7,
nbconvert and Voilà all show it.

The link's source stays the picture on disk: each cell records where its attachments came
from (``metadata["lab_utils_backprop"]["attachments"]``), so running :func:`attach_images`
again after ``images`` redraws the pictures refreshes them. Running it twice changes nothing.
Plain JSON (no nbformat), written as nbformat writes it, so it works without the ``lab`` extra.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
from pathlib import Path

__all__ = ["attach_file", "attach_images", "dumps_notebook", "linked_pictures", "main"]

MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MIME[".svg"] = "image/svg+xml"
KEY = "lab_utils_backprop"

# ![alt](target) or ![alt](target "title"): the target is group 2.
_IMAGE_LINK = re.compile(r"(!\[[^\]\n]*\]\()\s*([^)\s]+)((?:\s+\"[^\"\n]*\")?\s*\))")


def _local(target: str) -> bool:
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith("/")


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def linked_pictures(nb: dict) -> list[str]:
    """The relative picture links of the notebook's markdown cells, in order.

    Examples
    --------
    >>> linked_pictures({"cells": [{"cell_type": "markdown", "source": "![g](../images/g.PNG)"}]})
    ['../images/g.PNG']
    """
    found = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for match in _IMAGE_LINK.finditer(_source(cell)):
                target = match.group(2)
                if _local(target) and Path(target).suffix.lower() in MIME:
                    found.append(target)
    return found


def _data(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        return data.decode("utf-8")
    return base64.b64encode(data).decode("ascii")


def attach_images(nb: dict, folder: str | os.PathLike) -> int:
    """Turn the notebook's relative picture links into cell attachments; refresh earlier ones.

    ``folder`` is where the links start (the notebook's folder). A link to a file that is
    not there is left as it is. Returns how many attachments were added or refreshed.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "g.png").write_bytes(b"png")
    >>> nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "![graph](g.png)"}]}
    >>> attach_images(nb, folder), nb["cells"][0]["source"], nb["cells"][0]["attachments"]
    (1, '![graph](attachment:g.png)', {'g.png': {'image/png': 'cG5n'}})
    >>> attach_images(nb, folder)  # again: the same picture, nothing changes
    0
    """
    folder = Path(folder)
    changed = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        sources = cell.setdefault("metadata", {}).get(KEY, {}).get("attachments", {})
        attachments = dict(cell.get("attachments") or {})

        def replace(match: re.Match, sources: dict = sources) -> str:
            target = match.group(2)
            path = folder / target
            if not (_local(target) and path.suffix.lower() in MIME and path.is_file()):
                return match.group(0)
            name = path.name
            n = 1
            while name in sources and sources[name] != target:  # two pictures of one name
                name, n = f"{n}-{path.name}", n + 1
            sources[name] = target
            return f"{match.group(1)}attachment:{name}{match.group(3)}"

        text = _source(cell)
        new_text = _IMAGE_LINK.sub(replace, text)
        for name, target in sources.items():
            path = folder / target
            if path.is_file():
                attachments[name] = {MIME[path.suffix.lower()]: _data(path)}
        if new_text == text and attachments == (cell.get("attachments") or {}):
            continue
        changed += sum(attachments.get(k) != (cell.get("attachments") or {}).get(k) for k in attachments)
        if new_text != text:
            cell["source"] = (
                new_text.splitlines(keepends=True) if isinstance(cell["source"], list) else new_text
            )
        cell["attachments"] = attachments
        cell["metadata"][KEY] = {**cell["metadata"].get(KEY, {}), "attachments": sources}
    return changed


def dumps_notebook(nb: dict) -> str:
    """The notebook as nbformat writes it (sorted keys, one-space indent, UTF-8 kept)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False, separators=(",", ": ")) + "\n"


def attach_file(path: str | os.PathLike) -> bool:
    """Attach the pictures that the notebook at ``path`` links; True if the file changed."""
    path = Path(path)
    before = path.read_text(encoding="utf-8")
    nb = json.loads(before)
    attach_images(nb, path.parent)
    after = dumps_notebook(nb)
    if after == before:
        return False
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(after, encoding="utf-8")
    os.replace(temporary, path)
    return True


def main(argv: list[str]) -> int:
    """The ``attach`` command: ``python -m lab_utils_backprop attach notebooks/*.ipynb``."""
    parser = argparse.ArgumentParser(
        prog="python -m lab_utils_backprop attach",
        description="Carry the pictures each notebook links inside it, as cell attachments "
        "(again after `images`: the attachments are refreshed from the files).",
    )
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="a notebook (.ipynb)")
    code, changed = 0, 0
    for path in parser.parse_args(argv).notebooks:
        try:
            changed += attach_file(path)
        except (OSError, ValueError) as error:
            print(f"error: {path}: {error}", file=sys.stderr)
            code = 2
    print(f"attached pictures in {changed} notebook(s); the others were up to date")
    return code
