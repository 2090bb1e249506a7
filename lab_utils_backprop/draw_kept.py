"""A diagram's static pixels kept on disk, so a new kernel shows a graph it drew before at once.

Parsing the mathtext of a lab graph is most of its first draw (about 120 ms for network
1), and every new kernel starts with nothing parsed: opening a lesson again, or restarting
its kernel, paid it every time. The original lab never did: it showed a ready-made
picture. So a ``StaticLayer`` drawn on Agg also writes its pixels here, and a layer that
would draw exactly the same pixels reads them back instead of parsing anything.

"Exactly the same" is the file's name: a hash of what the pixels depend on (the layer's
own key: the layout, the canvas size, dpi, background and style), matplotlib's version,
installation and FreeType, the font file the diagram's text uses and this package's
source code, so a change to any of them draws afresh. The same idea as matplotlib's own
cache of rendered TeX (``tex.cache``) in the same folder.

Where: ``<matplotlib cache dir>/lab_utils_backprop``, or the folder named by the
``LAB_UTILS_BACKPROP_CACHE`` environment variable (``off`` keeps nothing). A file is the
pixels' bytes, zlib-compressed (network 1: 1.9 MB to 48 KB). At most ``DISK_BYTES`` are
kept, the least recently used dropped first. Nothing here ever raises: a folder that
cannot be written, a file another kernel is writing or a damaged file means drawing as
if nothing were kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
import time
import zlib
from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib import ft2font
from matplotlib.font_manager import FontProperties, findfont

__all__ = ["DISK_BYTES", "ENV", "folder", "load", "name", "save"]

#: The environment variable naming the folder; ``off`` (or empty) keeps nothing on disk.
ENV = "LAB_UTILS_BACKPROP_CACHE"

#: The most bytes of files kept in the folder; the least recently used go first beyond it.
DISK_BYTES = 64_000_000

_SUFFIX = ".rgba.z"
_PART = ".part"
_LEFT_PART_SECONDS = 3600  # a part older than this was left by a kernel stopped while writing


def folder() -> Path | None:
    """The folder pixels are kept in, or None when keeping is off."""
    chosen = os.environ.get(ENV)
    if chosen is None:
        return Path(mpl.get_cachedir()) / "lab_utils_backprop"
    if chosen.strip().lower() in ("", "off"):
        return None
    return Path(chosen)


def name(key: tuple) -> str:
    """The file name for pixels that depend on ``key``: a hash of it and of what draws it.

    What draws it: this matplotlib (its version, where it is installed, so two environments
    never share, and the FreeType it renders glyphs with), the text font, and our code.
    """
    matplotlib = (mpl.__version__, mpl.__file__, ft2font.__freetype_version__)
    text = repr((key, matplotlib, _fonts(), _source_hash()))
    return hashlib.sha256(text.encode()).hexdigest()[:40] + _SUFFIX


def load(key: tuple, shape: tuple[int, int]) -> np.ndarray | None:
    """The kept RGBA pixels (``shape`` = height, width) for ``key``, or None."""
    where = folder()
    if where is None:
        return None
    path = where / name(key)
    try:
        pixels = np.frombuffer(zlib.decompress(path.read_bytes()), dtype=np.uint8)
    except FileNotFoundError:
        return None
    except (OSError, zlib.error):
        _remove(path)
        return None
    if pixels.size != shape[0] * shape[1] * 4:
        _remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: the last to be dropped
    return pixels.reshape(shape[0], shape[1], 4)


def save(key: tuple, pixels: np.ndarray) -> None:
    """Keep ``pixels`` (height x width x 4, uint8) for ``key``; quietly nothing on failure.

    Examples
    --------
    >>> white = np.full((2, 3, 4), 255, np.uint8)
    >>> save(("a 3 x 2 white layer",), white)
    >>> np.array_equal(load(("a 3 x 2 white layer",), (2, 3)), white)
    True
    """
    where = folder()
    if where is None:
        return
    data = zlib.compress(np.ascontiguousarray(pixels, dtype=np.uint8).tobytes(), 1)
    try:
        where.mkdir(parents=True, exist_ok=True)
        handle, part = tempfile.mkstemp(dir=where, suffix=_PART)
    except OSError:
        return
    try:
        # Written aside, then renamed: a kernel reading at the same moment sees all or nothing.
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(part, where / name(key))
    except OSError:
        _remove(Path(part))
        return
    _trim(where)


def _trim(where: Path) -> None:
    """Drop the least recently used files beyond DISK_BYTES, and parts a stopped kernel left."""
    try:
        entries = list(where.iterdir())
    except OSError:
        return
    kept, now = [], time.time()
    for entry in entries:
        try:
            stat = entry.stat()
        except OSError:
            continue  # another kernel removed it meanwhile
        if entry.name.endswith(_SUFFIX):
            kept.append((stat.st_mtime, stat.st_size, entry))
        elif entry.name.endswith(_PART) and now - stat.st_mtime > _LEFT_PART_SECONDS:
            _remove(entry)
    total = sum(size for _, size, _ in kept)
    for _, size, entry in sorted(kept, key=lambda item: item[0]):
        if total <= DISK_BYTES:
            break
        _remove(entry)
        total -= size


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@functools.cache
def _source_hash() -> str:
    """This package's source, so that pixels drawn by other code are never shown."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _fonts() -> str:
    """The font file plain text draws with now: a newly installed font may change it.

    Mathtext's Computer Modern comes with matplotlib, so its version covers it.
    """
    return findfont(FontProperties())
