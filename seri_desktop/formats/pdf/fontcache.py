"""A cache of reportlab's parsed TrueType metrics, so a process does not parse four whole font files.

reportlab's :class:`~reportlab.pdfbase.ttfonts.TTFont` reads the whole file
and walks its cmap, hmtx and loca tables in pure Python: about 50 ms per
Nanum face, most of what a short command spends before it lays out a page.
What that walk produces (the character → glyph map, the widths, the glyph
offsets and a few scalars) is stored here once per font file, in the app data
folder (:func:`seri_desktop.paths.data_dir` ``/cache/fonts``), and read back
with no parsing.

The cache is keyed by the SHA-256 of the font file's bytes, so a changed font
never reads stale metrics; the file also names the reportlab version that made
it and carries a checksum of its own payload. Anything unexpected when reading
(a truncated, damaged, foreign or stale file, an unreadable folder) is a cache
miss: the font is parsed as before and the entry written again atomically.
Writing is best effort; a read-only data folder only costs the parse.

The format is a small JSON header and typed arrays (no pickle: nothing in the
file is executed or turned into arbitrary objects), checked with a CRC-32
against damage. The font file's bytes are
read for the hash anyway and handed to reportlab, which needs them to embed
subsets when the PDF is saved.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import secrets
import struct
import zlib
from array import array
from collections.abc import Callable
from fnmatch import fnmatch
from itertools import accumulate
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from seri_desktop.paths import data_dir

log = logging.getLogger(__name__)

MAGIC = b"SERI-TTF-METRICS\n"
FORMAT = 2
_HEADER = struct.Struct(">II")  # CRC-32 of the payload (damage, not tampering), header length

# The large tables, stored as arrays; everything else in the face is a small JSON value.
_INT_MAPS = ("charToGlyph",)
_FLOAT_MAPS = ("charWidths",)
_LIST_MAPS = ("glyphToChar",)  # built lazily on load (see _Face)
_PAIRS = ("hmetrics",)
_INTS = ("glyphPos",)
# Set by reportlab from the file or the parse itself; rebuilt on load.
_REBUILT = ("_ttf_data", "_pdfScale", "filename", "_pos")


class CacheMiss(Exception):
    """The cache entry cannot be used; the reason is the message (logged at debug level)."""


def cache_dir() -> Path:
    return data_dir() / "cache" / "fonts"


def load_font(name: str, path: Path, *, folder: Path | None = None) -> TTFont:
    """A reportlab font for ``path`` under ``name``: from the cache, else parsed (and cached).

    Raises whatever reportlab raises for a file it cannot parse (the caller
    turns that into a Korean error).
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    entry = (folder or cache_dir()) / f"{digest}.ttfm"
    try:
        return _from_cache(name, path, data, digest, entry)
    except CacheMiss as miss:
        log.debug("font metrics cache miss for %s: %s", path, miss)
    font = TTFont(name, str(path))
    try:
        _write(entry, font.face, digest, len(data))
    except OSError as exc:
        log.debug("font metrics cache not written (%s): %s", entry, exc)
    return font


# --- reading ----------------------------------------------------------------------------------------------


def _from_cache(name: str, path: Path, data: bytes, digest: str, entry: Path) -> TTFont:
    try:
        raw = entry.read_bytes()
    except OSError as exc:
        raise CacheMiss(f"no entry ({exc.__class__.__name__})") from exc
    try:
        state = _decode(raw, digest, len(data))
    except CacheMiss:
        raise
    except Exception as exc:  # a damaged file can fail in any decoder: json, struct, array, unicode
        raise CacheMiss(f"damaged entry ({exc.__class__.__name__}: {exc})") from exc
    return _make_font(name, path, data, state)


def _decode(raw: bytes, digest: str, size: int) -> dict[str, Any]:
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
    arrays: dict[str, array[Any]] = {}
    for key, typecode, offset, length in header["arrays"]:
        part = array(typecode)
        part.frombytes(blob[offset : offset + length])
        arrays[key] = part
    for key in _INT_MAPS:
        state[key] = dict(zip(arrays[f"{key}.k"].tolist(), arrays[f"{key}.v"].tolist(), strict=True))
    for key in _FLOAT_MAPS:
        state[key] = dict(zip(arrays[f"{key}.k"].tolist(), _numbers(arrays, f"{key}.v"), strict=True))
    keys, counts, flat = (arrays[f"glyphToChar.{k}"] for k in "knv")
    if len(keys) != len(counts) or sum(counts) != len(flat):
        raise CacheMiss("inconsistent glyph lists")
    # Only reportlab's text shaping reads glyphToChar: it is built when first asked for (see _Face).
    state["_glyph_lists"] = (keys, counts, flat)
    for key in _PAIRS:
        state[key] = list(zip(_numbers(arrays, f"{key}.a"), _numbers(arrays, f"{key}.b"), strict=True))
    for key in _INTS:
        state[key] = arrays[key].tolist()
    _check(state)
    return state


def _numbers(arrays: dict[str, array[Any]], key: str) -> list[Any]:
    """Numbers stored by :func:`_number_arrays`: floats where the parse made floats, ints elsewhere."""
    values = arrays[key]
    floats = arrays.get(f"{key}.f")
    if floats is None:
        return values.tolist()
    if len(values) != len(floats):
        raise CacheMiss("inconsistent number array")
    return [v if f else int(v) for v, f in zip(values, floats, strict=True)]


def _number_arrays(key: str, values: list[Any]) -> list[tuple[str, array[Any]]]:
    """Numbers exactly as they were: ints in an int array; else doubles with a flag per float."""
    if not any(isinstance(v, float) for v in values):
        return [(key, array("q", values))]
    return [(key, array("d", values)), (f"{key}.f", array("B", (isinstance(v, float) for v in values)))]


def _check(state: dict[str, Any]) -> None:
    """Cheap consistency checks: every glyph a character maps to exists in the tables we hold."""
    glyphs = state.get("numGlyphs")
    if not isinstance(glyphs, int) or glyphs <= 0:
        raise CacheMiss("no glyph count")
    if len(state["glyphPos"]) != glyphs + 1 or len(state["hmetrics"]) != glyphs:
        raise CacheMiss("tables do not match the glyph count")
    if state["charToGlyph"] and max(state["charToGlyph"].values()) >= glyphs:
        raise CacheMiss("a character maps to a glyph past the end")
    if not isinstance(state.get("unitsPerEm"), int) or state["unitsPerEm"] <= 0:
        raise CacheMiss("no units per em")


def _scale(units_per_em: int) -> Callable[[float], float]:
    # What reportlab's extractInfo sets as _pdfScale.
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000.0 / units_per_em
    return lambda x: x * factor


class _Face(TTFontFace):  # type: ignore[misc]
    """A face read from the cache: ``glyphToChar``, used only by text shaping, is built on first use."""

    @functools.cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        keys, counts, flat = self.__dict__.pop("_glyph_lists")
        values = flat.tolist()
        ends = accumulate(counts)
        return {k: values[e - n : e] for k, n, e in zip(keys.tolist(), counts.tolist(), ends, strict=True)}


def _make_font(name: str, path: Path, data: bytes, state: dict[str, Any]) -> TTFont:
    """A TTFont as ``TTFont(name, path)`` makes it, with the face taken from ``state``."""
    face = _Face.__new__(_Face)
    face.__dict__.update(state)
    face.__dict__.update(_ttf_data=data, _pdfScale=_scale(state["unitsPerEm"]), filename=str(path), _pos=0)
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
    raw = encode(face, digest, size)
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_name(f".{entry.name}.{secrets.token_hex(4)}.part")
    try:
        tmp.write_bytes(raw)
        os.replace(tmp, entry)
    finally:
        if tmp.exists():
            tmp.unlink()


def encode(face: TTFontFace, digest: str, size: int) -> bytes:
    """The cache file for a parsed ``face`` of a font file with ``digest`` and ``size``."""
    state = face.__dict__
    scalars = {
        key: _json(value)
        for key, value in state.items()
        if key not in _REBUILT and key not in (*_INT_MAPS, *_FLOAT_MAPS, *_LIST_MAPS, *_PAIRS, *_INTS)
    }
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
