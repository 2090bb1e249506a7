r"""A line of mathtext drawn as pieces, so a fraction shown in several lines is parsed once.

Parsing mathtext is most of a diagram's first draw (a fraction costs about 4 ms), and
matplotlib parses each distinct string once per renderer. ``∂J/∂c`` is c's own prompt and
again part of w's chain-rule line ``$\dfrac{∂J}{∂w} = \dfrac{∂c}{∂w} \times \dfrac{∂J}{∂c} =$``,
where it would be parsed a second time. A ``MathText`` splits such a line at its top-level
``=``, ``+`` and ``\times`` into pieces and draws them side by side on one baseline, so each
distinct piece is parsed once per figure.

An operator alone keeps the room it has between two terms: mathtext spaces a relation
(``$=$``) even alone, 0.2 em on each side; a binary operator alone it does not space (it
reads as a sign), so ``×`` and ``+`` are centred in the room of ``$=$``, the same spacing
around a glyph as wide (7.78/10 em in Computer Modern, all three). Widths are whole pixels,
so a line of pieces may come out a pixel or two wider than in one piece.
"""

from __future__ import annotations

import re

from matplotlib.artist import allow_rasterization
from matplotlib.cbook import is_math_text
from matplotlib.colors import to_rgba
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["MathText", "pieces"]

_RELATION = "$=$"  # spaced by mathtext even alone
_BINARY = {"$+$", r"$\times$"}  # spaced by mathtext only between two terms
_FRACTIONS = (r"\frac", r"\dfrac")
_ALIGN = {"left": 0.0, "center": 0.5, "right": 1.0}


def pieces(text: str) -> list[str]:
    r"""A one-line mathtext with a fraction, split at its top-level ``=``, ``+`` and ``\times``.

    Anything else (plain text, several lines, no fraction) is one piece, itself.

    Examples
    --------
    >>> pieces(r"$\frac{a}{w} = \frac{c}{w} \times 2 w + y =$")
    ['$\\frac{a}{w}$', '$=$', '$\\frac{c}{w}$', '$\\times$', '$2 w$', '$+$', '$y$', '$=$']
    >>> pieces("$a = c + b$")
    ['$a = c + b$']
    """
    inner = text[1:-1]
    if not (text.startswith("$") and text.endswith("$") and "$" not in inner and "\n" not in text):
        return [text]
    if not any(fraction in inner for fraction in _FRACTIONS):
        return [text]
    runs: list[tuple[bool, list[str]]] = []  # (an operator alone?, words)
    for word in _top_level_words(inner):
        after_operand = bool(runs) and not runs[-1][0]
        if f"${word}$" in {_RELATION, *_BINARY} and after_operand:
            runs.append((True, [word]))
        elif after_operand:
            runs[-1][1].append(word)
        else:
            runs.append((False, [word]))
    return ["$" + " ".join(words) + "$" for _, words in runs]


def _top_level_words(latex: str) -> list[str]:
    r"""Split at spaces outside braces and ``\left ... \right``."""
    words, depth, start = [], 0, 0
    for i, c in enumerate(latex):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "\\" and (command := re.match(r"\\[A-Za-z]+", latex[i:])):
            depth += {r"\left": 1, r"\right": -1}.get(command.group(0), 0)
        if c == " " and depth == 0:
            words.append(latex[start:i])
            start = i + 1
    return [word for word in [*words, latex[start:]] if word]


class MathText(Text):
    r"""A Text whose one line of mathtext with fractions is drawn as ``pieces``, on one baseline.

    Placed as a Text of one line is: ``ha`` left, center or right; ``va`` center, baseline,
    bottom or top of the line's ink box. Anything else (several lines, rotation, usetex, path
    effects, a measure at another dpi) is left to Text, which parses the whole string.

    Examples
    --------
    >>> text = MathText(0, 0, r"$\dfrac{\partial J}{\partial a} = 2 a =$", ha="right", va="center")
    >>> text.pieces
    ['$\\dfrac{\\partial J}{\\partial a}$', '$=$', '$2 a$', '$=$']
    """

    def set_text(self, s) -> None:
        super().set_text(s)
        self.pieces = pieces(self.get_text())

    def prepare(self, renderer) -> None:
        """Parse the text's mathtext now, shown or not, so that drawing it later is quick.

        matplotlib keeps each parse in the renderer's cache, which the next draw on the same
        canvas reads; Text itself parses nothing while hidden.
        """
        for piece in self.pieces if self._in_pieces() else [self.get_text()]:
            if is_math_text(piece):
                renderer.get_text_width_height_descent(piece, self.get_fontproperties(), ismath=True)

    def _in_pieces(self) -> bool:
        return (
            len(self.pieces) > 1
            and self.get_rotation() == 0
            and not self.get_usetex()
            and not self.get_path_effects()
            and self.get_verticalalignment() != "center_baseline"
        )

    def _placed(self, renderer) -> tuple[list[tuple[str, float]], Bbox, float]:
        """Each piece with its left x, the line's box and its baseline, in display pixels."""
        prop = self.get_fontproperties()
        placed, x = [], 0.0
        ascent = descent = 0.0
        for piece in self.pieces:
            w, h, d = renderer.get_text_width_height_descent(piece, prop, ismath=True)
            ascent, descent = max(ascent, h - d), max(descent, d)
            room = w
            if piece in _BINARY:  # in the room of a relation: spaced, and as wide in Computer Modern
                room = renderer.get_text_width_height_descent(_RELATION, prop, ismath=True)[0]
            placed.append((piece, x + (room - w) / 2))
            x += room
        anchor_x, anchor_y = self.get_transform().transform(self.get_unitless_position())
        left = anchor_x - x * _ALIGN[self.get_horizontalalignment()]
        baseline = (
            anchor_y
            + {
                "center": (descent - ascent) / 2,
                "baseline": 0.0,
                "bottom": descent,
                "top": -ascent,
            }[self.get_verticalalignment()]
        )
        box = Bbox.from_extents(left, baseline - descent, left + x, baseline + ascent)
        return [(piece, left + dx) for piece, dx in placed], box, baseline

    def get_window_extent(self, renderer=None, dpi=None) -> Bbox:
        if not self._in_pieces() or dpi is not None or not self.get_visible():
            return super().get_window_extent(renderer, dpi)
        if renderer is None:
            renderer = self.get_figure(root=True)._get_renderer()
        return self._placed(renderer)[1]

    @allow_rasterization
    def draw(self, renderer) -> None:
        if not self._in_pieces():
            super().draw(renderer)
            return
        if not self.get_visible():
            return
        renderer.open_group("text", self.get_gid())
        gc = renderer.new_gc()
        gc.set_foreground(to_rgba(self.get_color()), isRGBA=True)
        gc.set_alpha(self.get_alpha())
        gc.set_url(self.get_url())
        gc.set_antialiased(self.get_antialiased())
        gc.set_snap(self.get_snap())
        self._set_gc_clip(gc)
        placed, _, baseline = self._placed(renderer)
        if renderer.flipy():
            baseline = renderer.get_canvas_width_height()[1] - baseline
        for piece, left in placed:
            renderer.draw_text(gc, left, baseline, piece, self.get_fontproperties(), 0, ismath=True)
        gc.restore()
        renderer.close_group("text")
        self.stale = False
