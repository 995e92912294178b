"""Free text written about a traveller, as a reader may see it.

Staff type reasons and notes in free text: an assessor's motivation, a cancellation's
reason, a permit's notes, a certificate's reason, a goods description. Whatever the form's
hint says, such text can name the person and where they live ("Ingrid flyttar till
Björkvägen 20"), so for a traveller with skyddad identitet it is shown only to those who
may see who the person is (`travellers.views.can_see_identity`): the person themselves
and accounts with the right. Everyone else reads `HIDDEN_FREE_TEXT` in its place, the
same words on every page, file and letter. What was decided stays visible; only the words
about the person are hidden.
"""

from __future__ import annotations

HIDDEN_FREE_TEXT = "Fritexten visas inte: den gäller en person med skyddad identitet."


def shown_free_text(text: str | None, *, visible: bool) -> str | None:
    """`text` for a reader who may see the person (`visible`), else the hidden-text notice
    in place of any text (nothing stays nothing)."""
    return text if visible or not text else HIDDEN_FREE_TEXT
