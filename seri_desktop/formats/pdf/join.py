"""Joining PDF files that this package wrote with reportlab into one, with a new outline.

The parallel build (:mod:`.parallel`) lays out the front of the report in
one process and later chapters in another, each into a file of its own. The
files are reportlab's plain output: one cross-reference table, objects
written one after another, a flat page tree. Joining them needs no general PDF
parser: the objects of each file after the first are copied with their
numbers shifted past the objects before them (the references in their
dictionaries shifted alike; stream data is copied as it is), every page is
hung from one new page tree, and the bookmarks are written anew from the
anchors the layout recorded, so the outline nests parts, chapters and
programs across files. The first file's catalog (language, page mode) and
document information are kept.

Anything not of that shape raises :class:`ValueError`: a bug, never user input.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_REF = re.compile(rb"(\d+) 0 R")
_OBJ = re.compile(rb"(\d+) 0 obj")
_PARENT = re.compile(rb"/Parent \d+ 0 R")
_KIDS = re.compile(rb"/Kids \[([^\]]*)\]")
_STREAM = b"stream"


@dataclass(frozen=True)
class Bookmark:
    """An outline entry: its title, its depth (0 = top) and the 0-based index of its page in the joined file."""

    title: str
    level: int
    page: int
    closed: bool = False


@dataclass
class _Pdf:
    data: bytes
    spans: dict[int, tuple[int, int]]  # object number → (start, end) of "n 0 obj … endobj"
    size: int  # the xref's /Size: object numbers run 1 … size - 1
    root: int
    info: int | None
    pages: list[int]

    def obj(self, num: int) -> bytes:
        start, end = self.spans[num]
        return self.data[start:end]


def _read(path: Path) -> _Pdf:
    data = path.read_bytes()
    at = data.rindex(b"startxref")
    xref_at = int(data[at + 9 :].split()[0])
    if not data.startswith(b"xref", xref_at):
        raise ValueError(f"{path}: no cross-reference table where startxref points")
    lines = data[xref_at : data.index(b"trailer", xref_at)].split(b"\n")
    first, count = (int(x) for x in lines[1].split())
    if first != 0:
        raise ValueError(f"{path}: more than one cross-reference subsection")
    offsets: dict[int, int] = {}
    for num, line in enumerate(lines[2 : 2 + count]):
        fields = line.split()
        if len(fields) == 3 and fields[2] == b"n":
            offsets[num] = int(fields[0])
    # Objects are written one after another: each ends where the next begins (or where the xref does).
    order = sorted(offsets.items(), key=lambda kv: kv[1])
    spans = {num: (start, order[i + 1][1] if i + 1 < len(order) else xref_at) for i, (num, start) in enumerate(order)}
    trailer = data[data.index(b"trailer", xref_at) : at]
    root_m = re.search(rb"/Root (\d+) 0 R", trailer)
    if root_m is None:
        raise ValueError(f"{path}: no /Root in the trailer")
    info_m = re.search(rb"/Info (\d+) 0 R", trailer)
    pdf = _Pdf(data, spans, count, int(root_m.group(1)), int(info_m.group(1)) if info_m else None, [])
    pages_m = re.search(rb"/Pages (\d+) 0 R", _dict_part(pdf.obj(pdf.root)))
    if pages_m is None:
        raise ValueError(f"{path}: the catalog has no page tree")
    pdf.pages = _page_objects(pdf, int(pages_m.group(1)))
    return pdf


def _page_objects(pdf: _Pdf, node: int) -> list[int]:
    body = _dict_part(pdf.obj(node))
    if b"/Type /Pages" not in body:
        return [node]
    kids = _KIDS.search(body)
    if kids is None:
        raise ValueError("a page tree node without /Kids")
    out: list[int] = []
    for m in _REF.finditer(kids.group(1)):
        out += _page_objects(pdf, int(m.group(1)))
    return out


def _dict_part(obj: bytes) -> bytes:
    """An object without its stream data (references live in the dictionary only)."""
    at = obj.find(_STREAM)
    return obj if at < 0 else obj[:at]


def _shift(obj: bytes, by: int) -> bytes:
    """``obj`` with its number and every reference in its dictionary moved up by ``by``."""
    if by == 0:
        return obj
    at = obj.find(_STREAM)
    head, tail = (obj, b"") if at < 0 else (obj[:at], obj[at:])
    head = _OBJ.sub(lambda m: b"%d 0 obj" % (int(m.group(1)) + by), head, count=1)
    head = _REF.sub(lambda m: b"%d 0 R" % (int(m.group(1)) + by), head)
    return head + tail


def _text(title: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + title.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def join_pdfs(parts: Sequence[Path], output: Path, bookmarks: Sequence[Bookmark]) -> int:
    """Write ``parts`` (in order) as one PDF at ``output`` with ``bookmarks``; the page count."""
    pdfs = [_read(p) for p in parts]
    shifts: list[int] = []
    total = 0
    for pdf in pdfs:
        shifts.append(total)
        total += pdf.size - 1
    pages_num, outlines_num = total + 1, total + 2
    next_num = total + 3
    page_refs = [p + shift for pdf, shift in zip(pdfs, shifts, strict=True) for p in pdf.pages]
    objects: dict[int, bytes] = {}
    for pdf, shift in zip(pdfs, shifts, strict=True):
        own_pages = set(pdf.pages)
        for num in pdf.spans:
            obj = _shift(pdf.obj(num), shift)
            if num in own_pages:
                obj = _PARENT.sub(b"/Parent %d 0 R" % pages_num, obj, count=1)
            objects[num + shift] = obj
    first = pdfs[0]
    catalog = _dict_part(first.obj(first.root))
    catalog = re.sub(rb"/Pages \d+ 0 R", b"/Pages %d 0 R" % pages_num, catalog)
    if re.search(rb"/Outlines \d+ 0 R", catalog):
        catalog = re.sub(rb"/Outlines \d+ 0 R", b"/Outlines %d 0 R" % outlines_num, catalog)
    else:
        catalog = catalog.replace(b"/Type /Catalog", b"/Outlines %d 0 R /Type /Catalog" % outlines_num)
    objects[first.root] = catalog
    kids = b" ".join(b"%d 0 R" % r for r in page_refs)
    objects[pages_num] = b"%d 0 obj\n<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>\nendobj\n" % (
        pages_num,
        len(page_refs),
        kids,
    )
    items, next_num = _outline(bookmarks, page_refs, outlines_num, next_num)
    objects.update(items)
    _write(output, objects, next_num, first.root, first.info + shifts[0] if first.info else None)
    return len(page_refs)


def _outline(
    bookmarks: Sequence[Bookmark], page_refs: list[int], root: int, next_num: int
) -> tuple[dict[int, bytes], int]:
    """The outline objects: the root at ``root``, the items numbered from ``next_num``."""
    nums = list(range(next_num, next_num + len(bookmarks)))
    parent: list[int] = []  # item index → parent item index (-1: the root)
    stack: list[int] = []  # open ancestors by level
    for n, b in enumerate(bookmarks):
        level = min(b.level, len(stack))
        del stack[level:]
        parent.append(stack[-1] if stack else -1)
        stack.append(n)
    children: dict[int, list[int]] = {-1: []}
    for n, p in enumerate(parent):
        children.setdefault(p, []).append(n)
        children.setdefault(n, [])

    def descendants(n: int) -> int:
        return sum(1 + descendants(c) for c in children[n])

    def visible(n: int) -> int:
        # Open items show their children; closed ones count as themselves only.
        return sum(1 + (visible(c) if not bookmarks[c].closed else 0) for c in children[n])

    out: dict[int, bytes] = {}
    for n, b in enumerate(bookmarks):
        kids = children[n]
        siblings = children[parent[n]]
        at = siblings.index(n)
        fields = [
            b"/Title " + _text(b.title),
            b"/Parent %d 0 R" % (root if parent[n] < 0 else nums[parent[n]]),
            b"/Dest [ %d 0 R /Fit ]" % page_refs[b.page],
        ]
        if at > 0:
            fields.append(b"/Prev %d 0 R" % nums[siblings[at - 1]])
        if at + 1 < len(siblings):
            fields.append(b"/Next %d 0 R" % nums[siblings[at + 1]])
        if kids:
            count = -descendants(n) if b.closed else visible(n)
            fields += [b"/First %d 0 R" % nums[kids[0]], b"/Last %d 0 R" % nums[kids[-1]], b"/Count %d" % count]
        out[nums[n]] = b"%d 0 obj\n<<\n%s\n>>\nendobj\n" % (nums[n], b" ".join(fields))
    top = children[-1]
    fields = [b"/Type /Outlines", b"/Count %d" % visible(-1)]
    if top:
        fields += [b"/First %d 0 R" % nums[top[0]], b"/Last %d 0 R" % nums[top[-1]]]
    out[root] = b"%d 0 obj\n<<\n%s\n>>\nendobj\n" % (root, b" ".join(fields))
    return out, next_num + len(bookmarks)


def _write(path: Path, objects: dict[int, bytes], size: int, root: int, info: int | None) -> None:
    out = bytearray(b"%PDF-1.4\n%\x93\x8c\x8b\x9e seri-desktop\n")
    offsets: dict[int, int] = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        obj = objects[num]
        out += obj if obj.endswith(b"\n") else obj + b"\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        if num in offsets:
            out += b"%010d 00000 n \n" % offsets[num]
        else:
            out += b"0000000000 65535 f \n"
    digest = hashlib.md5(bytes(out[:4096]) + str(len(out)).encode(), usedforsecurity=False).hexdigest().encode()
    trailer = b"/Size %d /Root %d 0 R" % (size, root)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    trailer += b" /ID [<%s><%s>]" % (digest, digest)
    out += b"trailer\n<<\n%s\n>>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref_at)
    path.write_bytes(bytes(out))
