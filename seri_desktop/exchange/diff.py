"""The field-level diff, for the exchange's callers: it lives in :mod:`seri_desktop.domain.diff` (re-exported here)."""

from __future__ import annotations

from seri_desktop.domain.diff import (
    KIND_LABELS,
    ChangeKind,
    FieldChange,
    outline_changes,
    program_changes,
    section_ii_changes,
)

__all__ = ["KIND_LABELS", "ChangeKind", "FieldChange", "outline_changes", "program_changes", "section_ii_changes"]
