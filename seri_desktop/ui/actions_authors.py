"""Saving a chapter's author blocks from the window (the chapter page's 작성자 저장 and its undo).

The store writes them (:func:`seri_desktop.store.authors.save_author_blocks`:
the report's structure, office only, one transaction, audited); a refusal is
shown in a warning and nothing changes. The open report's chapter takes the
stored blocks, so the window, the PDF and the exports show them at once.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.model import AuthorBlock, Chapter
from seri_desktop.domain.policy import edit_refusal
from seri_desktop.settings import require_user_name
from seri_desktop.ui.access import editor_of, lock_reason
from seri_desktop.ui.context import AppContext

TITLE = "작성자 저장"


class AuthorActions(QObject):
    """:meth:`save` is the chapter page's saver; :meth:`readonly_reason` why the page may not edit ("" if it may)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx

    def readonly_reason(self) -> str:
        report = self.ctx.report
        if report is None or self.ctx.engine is None:
            return "이 파일에서는 작성자를 고칠 수 없습니다."
        # The edit policy's text, as for every unit: a department's package reads the chapters only.
        workspace = self.ctx.workspace
        department = workspace.editable_department if workspace is not None else None
        refusal = edit_refusal(editor_of(report, department), ItemRef.structure(), None)
        if refusal is not None:
            return refusal.message
        return lock_reason(workspace, report.year, ItemRef.structure())

    def save(self, chapter_uid: str, blocks: list[AuthorBlock]) -> Chapter | None:
        """Write ``blocks`` as the chapter's; the chapter as stored, ``None`` when refused (a warning says why)."""
        from seri_desktop.store.audit import Via
        from seri_desktop.store.authors import save_author_blocks

        ctx = self.ctx
        report, engine = ctx.report, ctx.engine
        if report is None or engine is None:
            return None
        with ctx.attempt(TITLE, "작성자를 저장하지 못했습니다.") as attempt:
            stored = save_author_blocks(
                engine, report.year, chapter_uid, blocks, who=require_user_name(), via=Via.WINDOW
            )
        if attempt.failed:
            return None
        return next((c for c in stored.chapters if c.uid == chapter_uid), None)


def install_author_actions(ctx: AppContext) -> AuthorActions:
    return AuthorActions(ctx)
