"""Find the answer boxes in a screenshot of a canvas, as a student's eye does: by colour and shape.

A box is a rectangle outlined in one of the answer colours (blue, green, red, grey or the
near-black of the selected box), white or pale inside, about as tall as a line of text and
wider than tall. Arrows, rules, text and the nodes' orange outlines are not: they are thin,
small, or of another colour.
"""

from __future__ import annotations

import io
from collections import deque
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import rgb_to_hsv
from PIL import Image

__all__ = ["SeenBox", "find_boxes"]

# Hue ranges (degrees) of the outlines: red, green, blue; grey and the selection's near-black too.
OUTLINE_HUES = ((0, 15), (100, 160), (195, 225), (345, 360))


@dataclass(frozen=True)
class SeenBox:
    """A box found in the picture: its centre and size in CSS px from the canvas's top-left."""

    x: float
    y: float
    width: float
    height: float


def outline_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels that may belong to a box's outline: saturated answer colours, or dark grey."""
    hsv = rgb_to_hsv(rgb / 255)
    hue, saturation, value = hsv[..., 0] * 360, hsv[..., 1], hsv[..., 2]
    coloured = (saturation > 0.45) & (value > 0.35)
    in_hues = np.zeros(hue.shape, bool)
    for low, high in OUTLINE_HUES:
        in_hues |= (hue >= low) & (hue < high)
    greyish = (saturation < 0.08) & (value < 0.5)
    return (coloured & in_hues) | greyish


def components(mask: np.ndarray):
    """Bounding boxes (top, left, bottom, right) and pixel counts of the 8-connected parts of ``mask``."""
    seen = np.zeros(mask.shape, bool)
    height, width = mask.shape
    for row, col in zip(*np.nonzero(mask), strict=True):
        if seen[row, col]:
            continue
        seen[row, col] = True
        queue, top, left, bottom, right, count = deque([(row, col)]), row, col, row, col, 0
        while queue:
            r, c = queue.popleft()
            count += 1
            top, left, bottom, right = min(top, r), min(left, c), max(bottom, r), max(right, c)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < height and 0 <= cc < width and mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        queue.append((rr, cc))
        yield (top, left, bottom, right), count


def find_boxes(png: bytes, scale: float = 1.0) -> list[SeenBox]:
    """The boxes in a PNG screenshot of a canvas (``scale`` image px per CSS px), in reading order.

    A part of the outline mask is a box if it is a rectangle's outline: 25-90 px tall, wider
    than tall, its pixels about its perimeter's worth (an outline, not a filled shape or text).
    """
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(float)
    mask = outline_mask(rgb)
    found = []
    for (top, left, bottom, right), count in components(mask):
        height, width = (bottom - top + 1) / scale, (right - left + 1) / scale
        if not (25 <= height <= 90 and height < width <= 260):
            continue
        perimeter = 2 * (right - left + bottom - top)
        if not perimeter <= count <= 6 * perimeter:
            continue
        found.append(SeenBox((left + right + 1) / 2 / scale, (top + bottom + 1) / 2 / scale, width, height))
    return sorted(found, key=lambda box: (round(box.y / 10), box.x))
