"""Right answers saved as the student goes, and entered again when the graph is shown anew.

A part of :class:`~.widget.GraphWidget` (a mixin): its ``_store`` (a ProgressStore or
None), ``_key`` (this graph's entry), ``_saved`` (what the store holds) and ``tutor``.
"""

from __future__ import annotations

from ..exercise.statuses import RIGHT

__all__ = ["SavedAnswers"]


class SavedAnswers:
    """Restore and save a graph widget's right answers through its progress store."""

    def _restore(self) -> dict[str, str]:
        """Enter the saved answers again through the Tutor, so each is judged anew."""
        if self._store is None:
            return {}
        saved = self._store.load(self._key)
        known = {box.id for box in self.tutor.boxes}
        for box_id, text in saved.items():
            if box_id in known:
                self.tutor.enter(text, box_id)
        return {box_id: s.text for box_id, s in self.tutor.states().items() if s.status == RIGHT}

    def _save(self) -> None:
        """Save the right answers if they changed (only an entry makes or unmakes a right box)."""
        if self._store is None:
            return
        right = {box_id: s.text for box_id, s in self.tutor.states().items() if s.status == RIGHT}
        if right != self._saved:
            self._store.update(self._key, right, before=self._saved)  # box by box: other kernels' stay
            self._saved = right
            self._show_notices()
