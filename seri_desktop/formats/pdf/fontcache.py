"""A cache of reportlab's parsed TrueType metrics, so a process does not parse four whole font files.

reportlab's :class:`~reportlab.pdfbase.ttfonts.TTFont` reads the whole file
and walks its cmap, hmtx and loca tables in pure Python: about 50 ms per
Nanum face, most of what a short command spends before it lays out a page.
What that walk produces (the character → glyph map, the widths, the glyph
offsets and a few scalars) is stored here once per font file, in the app data
folder (:func:`seri_desktop.paths.data_dir` ``/cache/fonts``), and read back
with no parsing.

Reading back is itself lazy, table by table: measuring text needs only the
widths (``charWidths``), drawing it the character map (``charToGlyph``), and
only the subsetting at save the glyph offsets and the horizontal metrics,
which it reads for the few hundred glyphs a document uses: those two stay
arrays, read by index, and the dicts are made from their arrays the first
time reportlab asks for them (see :class:`_Face`), so a face costs what the
build uses of it.

The cache is keyed by the SHA-256 of the font file's bytes, so a changed font
never reads stale metrics; the file also names the reportlab version that made
it and carries a checksum of its own payload. Everything that could make a
later, lazy decode fail is checked when the entry is opened (the checksum,
every array's place and length against the glyph count, every glyph a
character maps to), so anything unexpected (a truncated, damaged, foreign or
stale file, an unreadable folder) is a cache miss right there: the font is
parsed as before and the entry written again atomically. Writing is best
effort; a read-only data folder only costs the parse.

The format is a small JSON header and typed arrays (no pickle: nothing in the
file is executed or turned into arbitrary objects), checked with a CRC-32
against damage. The font file's bytes are read once and handed to reportlab,
which needs them to embed subsets when the PDF is saved; their hash is
remembered beside the cache for a file that has not changed since
(:func:`font_digest`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import struct
import time
import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from itertools import accumulate
from pathlib import Path
from typing import Any, overload
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from seri_desktop.paths import data_dir

log = logging.getLogger(__name__)

MAGIC = b"SERI-TTF-METRICS\n"
FORMAT = 3  # 3: arrays checked on open, decoded table by table on first use
_HEADER = struct.Struct(">II")  # CRC-32 of the payload (damage, not tampering), header length

# The large tables, stored as arrays; everything else in the face is a small JSON value.
_INT_MAPS = ("charToGlyph",)
_FLOAT_MAPS = ("charWidths",)
_LIST_MAPS = ("glyphToChar",)
_PAIRS = ("hmetrics",)
_INTS = ("glyphPos",)
_TABLES = (*_INT_MAPS, *_FLOAT_MAPS, *_LIST_MAPS, *_PAIRS, *_INTS)
# Set by reportlab from the file or the parse itself; rebuilt on load.
_REBUILT = ("_ttf_data", "_pdfScale", "filename", "_pos")
_TYPECODES = frozenset("BLqd")  # the array types encode writes


class CacheMiss(Exception):
    """The cache entry cannot be used; the reason is the message (logged at debug level)."""


def cache_dir() -> Path:
    return data_dir() / "cache" / "fonts"


def load_font(name: str, path: Path, *, folder: Path | None = None) -> TTFont:
    """A reportlab font for ``path`` under ``name``: from the cache, else parsed (and cached).

    Raises whatever reportlab raises for a file it cannot parse (the caller
    turns that into a Korean error).
    """
    folder = folder or cache_dir()
    with path.open("rb") as file:
        before = os.fstat(file.fileno())
        data = file.read()
        after = os.fstat(file.fileno())
    digest = font_digest(path, data, before, after, folder)
    try:
        return _from_cache(name, path, data, digest, _entry_for(folder, digest))
    except CacheMiss as miss:
        log.debug("font metrics cache miss for %s: %s", path, miss)
    # A miss costs a parse anyway: the entry written is named by the bytes' own hash, not a memo's.
    digest = font_digest(path, data, before, after, folder, memo=False)
    entry = _entry_for(folder, digest)
    font = TTFont(name, str(path))
    try:
        _write(entry, font.face, digest, len(data))
    except OSError as exc:
        log.debug("font metrics cache not written (%s): %s", entry, exc)
    return font


# --- the font file's hash -----------------------------------------------------------------------------------

# A hash is taken from the memo only when it was taken this long after the file was last changed: a file
# changed in the same instant as it was hashed could keep its times on a coarse file system (git's "racy" case).
RACY_SECONDS = 3.0
_PROBE = 65536  # bytes at each end of the file whose CRC-32 the memo also keeps


def _entry_for(folder: Path, digest: str) -> Path:
    # The format in the name too: another version of the program keeps its own entry instead of rewriting ours.
    return folder / f"{digest}.f{FORMAT}.ttfm"


def font_digest(
    path: Path, data: bytes, before: os.stat_result, after: os.stat_result, folder: Path, *, memo: bool = True
) -> str:
    """The SHA-256 of ``data``, the bytes of ``path`` read between ``before`` and ``after`` (its stat).

    Hashing four fonts costs a short command about 10 ms, so the hash is kept
    in a memo beside the cache, with what ``stat`` said of the file then
    (device, inode, size, modification and change times) and a CRC-32 of its
    first and last bytes. The memo answers only when all of that is as it was,
    the file did not change while it was read, and it was hashed well after
    its last change (:data:`RACY_SECONDS`); anything else, a missing,
    damaged or foreign memo included, hashes the bytes again (as ``memo=False`` does, and writes it).
    """
    where = str(path.absolute())
    memo_file = folder / f"{hashlib.sha256(os.fsencode(where)).hexdigest()[:32]}.sha256"
    signature = _signature(before)
    steady = signature == _signature(after)
    probe = zlib.crc32(data[-_PROBE:], zlib.crc32(data[:_PROBE]))
    if steady and memo:
        try:
            known = json.loads(memo_file.read_bytes())
            last_change = max(before.st_mtime_ns, before.st_ctime_ns)
            if (
                known["path"] == where
                and known["signature"] == signature
                and known["probe"] == probe
                and known["hashed_ns"] - last_change > RACY_SECONDS * 1e9
                and isinstance(known["sha256"], str)
                and len(known["sha256"]) == 64
            ):
                return str(known["sha256"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("font hash memo not used (%s): %s", memo_file, exc)
    digest = hashlib.sha256(data).hexdigest()
    if steady:
        record = {"path": where, "signature": signature, "probe": probe, "hashed_ns": time.time_ns(), "sha256": digest}
        try:
            _replace(memo_file, json.dumps(record).encode("utf-8"))
        except OSError as exc:
            log.debug("font hash memo not written (%s): %s", memo_file, exc)
    return digest


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


# --- reading ----------------------------------------------------------------------------------------------


def _from_cache(name: str, path: Path, data: bytes, digest: str, entry: Path) -> TTFont:
    try:
        raw = entry.read_bytes()
    except OSError as exc:
        raise CacheMiss(f"no entry ({exc.__class__.__name__})") from exc
    try:
        state, tables = _decode(raw, digest, len(data))
    except CacheMiss:
        raise
    except Exception as exc:  # a damaged file can fail in any decoder: json, struct, unicode
        raise CacheMiss(f"damaged entry ({exc.__class__.__name__}: {exc})") from exc
    return _make_font(name, path, data, state, tables)


@dataclass(frozen=True)
class _Tables:
    """The stored arrays of one entry, not yet decoded: the payload and where each array lies in it."""

    blob: memoryview
    index: dict[str, tuple[str, int, int]]  # key → typecode, offset, length in bytes

    def get(self, key: str) -> array[Any] | None:
        spot = self.index.get(key)
        if spot is None:
            return None
        typecode, offset, length = spot
        part = array(typecode)
        part.frombytes(self.blob[offset : offset + length])
        return part

    def __getitem__(self, key: str) -> array[Any]:
        part = self.get(key)
        if part is None:
            raise CacheMiss(f"no array {key}")
        return part

    def count(self, key: str) -> int:
        typecode, _, length = self.index[key]
        return length // array(typecode).itemsize

    def numbers(self, key: str) -> list[Any]:
        """Numbers stored by :func:`_number_arrays`: floats where the parse made floats, ints elsewhere."""
        values = self[key]
        floats = self.get(f"{key}.f")
        if floats is None:
            return values.tolist()
        return [v if f else int(v) for v, f in zip(values.tolist(), floats.tolist(), strict=True)]


def _decode(raw: bytes, digest: str, size: int) -> tuple[dict[str, Any], _Tables]:
    """The small attributes of the face and its tables, every check that a later decode relies on made."""
    if not raw.startswith(MAGIC):
        raise CacheMiss("not a metrics cache file")
    body = memoryview(raw)[len(MAGIC) :]
    payload_digest, header_len = _HEADER.unpack_from(body, 0)
    payload = body[_HEADER.size :]
    if zlib.crc32(payload) != payload_digest:
        raise CacheMiss("payload checksum mismatch")
    header = json.loads(bytes(payload[:header_len]).decode("utf-8"))
    if header.get("format") != FORMAT or header.get("reportlab") != reportlab.Version:
        raise CacheMiss("made by another format or reportlab version")
    if header.get("source_sha256") != digest or header.get("source_size") != size:
        raise CacheMiss("made from another font file")
    blob = payload[header_len:]
    state: dict[str, Any] = {key: _unjson(value) for key, value in header["scalars"].items()}
    index: dict[str, tuple[str, int, int]] = {}
    for key, typecode, offset, length in header["arrays"]:
        if typecode not in _TYPECODES or not isinstance(offset, int) or not isinstance(length, int):
            raise CacheMiss(f"array {key} of an unknown type")
        if offset < 0 or length < 0 or offset + length > len(blob) or length % array(typecode).itemsize:
            raise CacheMiss(f"array {key} outside the file")
        index[str(key)] = (typecode, offset, length)
    tables = _Tables(blob, index)
    _check(state, tables)
    return state, tables


def _check(state: dict[str, Any], tables: _Tables) -> None:
    """Every array a table is decoded from is there and as long as the glyph count says; no glyph is past the end."""
    glyphs = state.get("numGlyphs")
    if not isinstance(glyphs, int) or isinstance(glyphs, bool) or glyphs <= 0:
        raise CacheMiss("no glyph count")
    if not isinstance(state.get("unitsPerEm"), int) or state["unitsPerEm"] <= 0:
        raise CacheMiss("no units per em")
    try:
        count = tables.count
        same = [
            ("charToGlyph.k", "charToGlyph.v"),
            ("charWidths.k", "charWidths.v"),
            ("glyphToChar.k", "glyphToChar.n"),
        ]
        for a, b in same:
            if count(a) != count(b):
                raise CacheMiss(f"{a} and {b} differ in length")
        for key in ("charWidths.v", "hmetrics.a", "hmetrics.b"):
            if f"{key}.f" in tables.index and count(f"{key}.f") != count(key):
                raise CacheMiss("inconsistent number array")
        if count("glyphPos") != glyphs + 1 or count("hmetrics.a") != glyphs or count("hmetrics.b") != glyphs:
            raise CacheMiss("tables do not match the glyph count")
        if sum(tables["glyphToChar.n"]) != count("glyphToChar.v"):
            raise CacheMiss("inconsistent glyph lists")
    except KeyError as exc:
        raise CacheMiss(f"no array {exc}") from exc
    targets = tables["charToGlyph.v"]
    if targets and max(targets) >= glyphs:
        raise CacheMiss("a character maps to a glyph past the end")


def _scale(units_per_em: int) -> Callable[[float], float]:
    # What reportlab's extractInfo sets as _pdfScale.
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000.0 / units_per_em
    return lambda x: x * factor


class _Face(TTFontFace):  # type: ignore[misc]
    """A face read from the cache: each large table is decoded from its array when reportlab first reads it.

    ``_tables`` (:class:`_Tables`) holds the arrays, checked when the entry
    was opened, so none of these can fail. A decoded table is an ordinary
    instance attribute from then on, as a parsed face has it (reportlab adds
    private glyphs to the maps in place).
    """

    _tables: _Tables

    @functools.cached_property
    def charWidths(self) -> dict[int, float]:  # measuring text
        t = self._tables
        return dict(zip(t["charWidths.k"].tolist(), t.numbers("charWidths.v"), strict=True))

    @functools.cached_property
    def charToGlyph(self) -> dict[int, int]:  # drawing text, coverage, subsetting
        t = self._tables
        return dict(zip(t["charToGlyph.k"].tolist(), t["charToGlyph.v"].tolist(), strict=True))

    @functools.cached_property
    def glyphToChar(self) -> dict[int, list[int]]:  # text shaping only
        t = self._tables
        values = t["glyphToChar.v"].tolist()
        counts = t["glyphToChar.n"].tolist()
        ends = accumulate(counts)
        return {k: values[e - n : e] for k, n, e in zip(t["glyphToChar.k"].tolist(), counts, ends, strict=True)}

    @functools.cached_property
    def hmetrics(self) -> Sequence[tuple[Any, Any]]:  # subsetting, at save: a few hundred glyphs are read
        t = self._tables
        if "hmetrics.a.f" in t.index or "hmetrics.b.f" in t.index:  # floats among ints: decoded whole
            return list(zip(t.numbers("hmetrics.a"), t.numbers("hmetrics.b"), strict=True))
        return _Pairs(t["hmetrics.a"], t["hmetrics.b"])

    @functools.cached_property
    def glyphPos(self) -> Sequence[int]:  # subsetting, at save: read by index, so the array itself
        return self._tables["glyphPos"]


class _Pairs(Sequence[tuple[int, int]]):
    """Two int arrays read as the list of pairs reportlab's parse makes (``hmetrics``), a pair when asked for."""

    def __init__(self, first: array[int], second: array[int]) -> None:
        self._first = first
        self._second = second

    def __len__(self) -> int:
        return len(self._first)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(index, slice):
            return list(zip(self._first[index], self._second[index], strict=True))
        return (self._first[index], self._second[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # a list is not hashable either


def _make_font(name: str, path: Path, data: bytes, state: dict[str, Any], tables: _Tables) -> TTFont:
    """A TTFont as ``TTFont(name, path)`` makes it, with the face taken from ``state`` and ``tables``."""
    face = _Face.__new__(_Face)
    face.__dict__.update(state)
    face.__dict__.update(_ttf_data=data, _pdfScale=_scale(state["unitsPerEm"]), filename=str(path), _pos=0)
    face._tables = tables
    font = TTFont.__new__(TTFont)
    # The body of TTFont.__init__ after its parse (reportlab 4.x); tests compare the two objects.
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in getattr(ttfonts, "unShapedFontGlob", ()))
    return font


# --- writing ----------------------------------------------------------------------------------------------


def _write(entry: Path, face: TTFontFace, digest: str, size: int) -> None:
    _replace(entry, encode(face, digest, size))


def _replace(target: Path, raw: bytes) -> None:
    """Write ``raw`` to ``target`` atomically: a reader sees the old file or the new one, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{time.monotonic_ns()}.part")
    try:
        tmp.write_bytes(raw)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def encode(face: TTFontFace, digest: str, size: int) -> bytes:
    """The cache file for a parsed ``face`` of a font file with ``digest`` and ``size``."""
    state = face.__dict__
    scalars = {key: _json(value) for key, value in state.items() if key not in _REBUILT and key not in _TABLES}
    arrays: list[tuple[str, array[Any]]] = []
    for key in _INT_MAPS:
        mapping = state[key]
        arrays += [(f"{key}.k", array("L", mapping.keys())), (f"{key}.v", array("L", mapping.values()))]
    for key in _FLOAT_MAPS:
        mapping = state[key]
        arrays += [(f"{key}.k", array("L", mapping.keys())), *_number_arrays(f"{key}.v", list(mapping.values()))]
    for key in _LIST_MAPS:
        mapping = state[key]
        flat = array("L")
        for values in mapping.values():
            flat.extend(values)
        counts = array("L", (len(v) for v in mapping.values()))
        arrays += [(f"{key}.k", array("L", mapping.keys())), (f"{key}.n", counts), (f"{key}.v", flat)]
    for key in _PAIRS:
        pairs = state[key]
        arrays += [
            *_number_arrays(f"{key}.a", [a for a, _ in pairs]),
            *_number_arrays(f"{key}.b", [b for _, b in pairs]),
        ]
    for key in _INTS:
        arrays.append((key, array("L", state[key])))
    blob = bytearray()
    index: list[tuple[str, str, int, int]] = []
    for key, values in arrays:
        chunk = values.tobytes()
        index.append((key, values.typecode, len(blob), len(chunk)))
        blob += chunk
    header = json.dumps(
        {
            "format": FORMAT,
            "reportlab": reportlab.Version,
            "source_sha256": digest,
            "source_size": size,
            "scalars": scalars,
            "arrays": index,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    payload = header + bytes(blob)
    return MAGIC + _HEADER.pack(zlib.crc32(payload), len(header)) + payload


def _number_arrays(key: str, values: list[Any]) -> list[tuple[str, array[Any]]]:
    """Numbers exactly as they were: ints in an int array; else doubles with a flag per float."""
    if not any(isinstance(v, float) for v in values):
        return [(key, array("q", values))]
    return [(key, array("d", values)), (f"{key}.f", array("B", (isinstance(v, float) for v in values)))]


def _json(value: Any) -> Any:
    """A JSON form of a small face attribute that keeps its type (bytes, tuples, int keys)."""
    if isinstance(value, TTFNameBytes):
        return {"$name": value.ustr}
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    if isinstance(value, tuple):
        return {"$tuple": [_json(v) for v in value]}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_json(k), _json(v)] for k, v in value.items()]}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _unjson(value: Any) -> Any:
    if isinstance(value, list):
        return [_unjson(v) for v in value]
    if isinstance(value, dict):
        if "$name" in value:
            return TTFNameBytes(str(value["$name"]).encode("utf-8"))
        if "$bytes" in value:
            return bytes.fromhex(value["$bytes"])
        if "$tuple" in value:
            return tuple(_unjson(v) for v in value["$tuple"])
        if "$dict" in value:
            return {_unjson(k): _unjson(v) for k, v in value["$dict"]}
        raise CacheMiss("unknown value in the header")
    return value
