"""Changes in words: a field's old → new with the words that changed highlighted, and audit entries as sentences.

:func:`word_diff_html` compares two texts word by word (whitespace kept as
it is) with :class:`difflib.SequenceMatcher` and shows ``old → new``: words
only in the old text are struck through in red, words only in the new one
underlined in green, the rest plain, so a changed paragraph shows the words
that differ. :func:`change_html` renders one
:class:`~seri_desktop.exchange.diff.FieldChange` that way;
:func:`audit_words` says what an audit entry did, in Korean, without the
content hashes the log keeps for checking.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from seri_desktop.exchange.diff import FieldChange
    from seri_desktop.store.audit import AuditEntry

DELETED_STYLE: Final = "background:#fde0e0; color:#a40000; text-decoration:line-through;"
INSERTED_STYLE: Final = "background:#dcf5dc; color:#0b5d0b; text-decoration:underline;"
_TOKENS: Final = re.compile(r"\s+|[^\s]+")
_HASH: Final = re.compile(r"^[0-9a-f]{32,64}$")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def _span(style: str, words: Sequence[str]) -> str:
    return f"<span style='{style}'>{html.escape(''.join(words))}</span>"


def _marked(old: str, new: str) -> tuple[str, str]:
    """``old`` and ``new`` as HTML, the words only in ``old`` struck through and those only in ``new`` underlined."""
    a, b = tokens(old), tokens(new)
    before: list[str] = []
    after: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            before.append(html.escape("".join(a[i1:i2])))
            after.append(html.escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            before.append(_span(DELETED_STYLE, a[i1:i2]))
        if j2 > j1:
            after.append(_span(INSERTED_STYLE, b[j1:j2]))
    return "".join(before).replace("\n", "<br>"), "".join(after).replace("\n", "<br>")


def word_diff_html(old: str, new: str) -> str:
    """``old`` → ``new`` in one paragraph of HTML, the changed words marked (see the module docstring).

    The plain text stays ``old → new``, the words :meth:`FieldChange.describe` uses, so a
    copied diff reads the same as the list lines do.
    """
    before, after = _marked(old, new)
    return f"{before} → {after}"


def change_html(change: FieldChange) -> str:
    """One change as a paragraph: its kind and place in bold, then the words (plain text = ``describe()``)."""
    from seri_desktop.exchange.diff import KIND_LABELS, ChangeKind

    head = f"<b>[{KIND_LABELS[change.kind]}] {html.escape(change.place())}</b>: "
    if change.kind is ChangeKind.ADDED:
        body = _span(INSERTED_STYLE, [change.new])
    elif change.kind is ChangeKind.REMOVED:
        body = _span(DELETED_STYLE, [change.old])
    else:
        body = word_diff_html(change.old, change.new)
    return f"<p style='margin:2px 0 6px 0'>{head}{body}</p>"


def audit_words(entry: AuditEntry) -> str:
    """What an audit entry did, in words: old → new for a field or a state, never a content hash."""
    from seri_desktop.store.audit import AuditAction

    detail = entry.detail or {}
    old, new = ("" if _HASH.match(v) else v for v in (entry.old, entry.new))
    if entry.action == AuditAction.FIELD:
        kind = str(detail.get("kind", ""))
        if kind == "added":
            return f"추가: {new}"
        if kind == "removed":
            return f"삭제: {old}"
        return f"{old or '(비어 있음)'} → {new or '(비어 있음)'}"
    if entry.action == AuditAction.STATE:
        words = f"{old or '작성중'} → {new}"
        waiver = str(detail.get("waiver", ""))
        return f"{words}, 오류를 두고 확정한 사유: {waiver}" if waiver else words
    if entry.action == AuditAction.MERGE:
        overwrote = " (기획 부서가 그 뒤에 고친 내용을 덮어씀)" if detail.get("overwrote_office_edit") else ""
        return f"제출본의 내용으로 바꿈{overwrote}"
    if entry.action == AuditAction.DETECTED_EDIT:
        return "제출·반영을 거치지 않고 내용이 바뀐 것을 찾았습니다(양식에서 고친 내용 등)"
    if entry.action == AuditAction.PACKAGE:
        return f"꾸러미 파일 {new}" if new else "꾸러미 발급"
    return " → ".join(x for x in (old, new) if x)
