"""The errors of the exchange: Korean messages to show as they are, with a stable ``code``.

All derive from :class:`~seri_desktop.store.engine.StoreError`, so the CLI
and the UI, which already catch that, show them without further handling.
``code`` names the kind of problem (``"checksum"``, ``"signature"`` …) for
the UI to pick an icon and for tests to assert on, independent of wording.
"""

from __future__ import annotations

from seri_desktop.store.engine import StoreError


class ExchangeError(StoreError):
    """Packaging, submitting or merging failed; nothing was changed."""

    default_code = "exchange"


class SubmissionError(ExchangeError):
    """A submission file was refused (damaged, forged, for another report …); the office database is untouched."""


class AlreadyMergedError(SubmissionError):
    """The very same submission was processed before; importing it again changes nothing."""

    default_code = "already-merged"


class MergeError(ExchangeError):
    """The review decisions cannot be applied (missing decision, conflict not overridden, changed meanwhile)."""
