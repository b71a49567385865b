"""The journal of unsaved edits: every edit the window makes, on disk before the autosave pause ends.

The window saves a unit :data:`~seri_desktop.ui.autosave.DELAY_MS` after the
last edit; a crash (a power cut, a kill) in that pause would lose what was
typed. So every edit is first appended to a journal, one small JSON line per
edit, flushed and ``fsync``-ed before the call returns::

    {"v": 1, "at": "…", "run": "<id>", "year": 2024, "item": "<ItemRef key>",
     "label": "4-8 …", "read": 3, "field": "issues", "value": [...]}

``item`` is the unit's :class:`~seri_desktop.domain.identity.ItemRef` key (a
program's permanent id, so a renumbered program is still found), ``read`` the
content revision the window had read (a restore after someone else saved is a
stale write, shown side by side like any other), ``field`` the template part
and ``value`` its whole new value as plain JSON (:func:`encode_value`);
``run`` names the window session that wrote it. A save appends
``{"run": …, "item": …, "saved": revision}`` and settles that run's edits of
the unit only: edits a crashed run left are settled only by the person's
choice (restore or discard: ``{"run": <old run>, "item": …, "discarded":
true}``), never by a later save of the same unit. Once nothing is left
unsaved the file is removed (:meth:`EditJournal.clear`).

The journal lives in the app data folder (``journal/<hash>.jsonl``), keyed
by the database it belongs to (a SQLite file's resolved path, a PostgreSQL
URL without its password), so it works for files in read-only folders and
for servers alike; its first line names the database. On the next start
:meth:`EditJournal.pending` reads back, per unit, the last value of every
field edited since the unit's last save. A line that is not valid JSON or not
an entry (a write cut short by the crash) is skipped with a logged warning;
reading never raises for the journal's content.

No Qt here: the window's side is :mod:`seri_desktop.ui.journal`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import logging
import os
import types
import typing
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from seri_desktop.domain import model, template
from seri_desktop.domain.template import PartKind
from seri_desktop.paths import data_dir

log = logging.getLogger(__name__)

FORMAT: Final = 1
FOLDER: Final = "journal"
# A line longer than this is not an entry the window wrote (a field of a few MB at most): skipped unread.
MAX_LINE_BYTES: Final = 64 * 1024 * 1024

# What each kind of part holds, for reading a value back (see template.PartKind).
_PART_TYPES: Final[dict[PartKind, Any]] = {
    PartKind.OUTLINE: list[model.OutlineItem],
    PartKind.TARGETS: model.Targets | None,
    PartKind.BUDGET: model.BudgetTable | None,
    PartKind.TEXT: str,
    PartKind.TABLE: model.SimpleTable,
    PartKind.HISTORY: list[model.HistoryEntry],
    PartKind.DATE: dt.date | None,
}


# --- values as JSON ---------------------------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A field's value (domain dataclasses, lists, enums, dates, plain values) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    return value


def decode_value(kind: Any, data: Any) -> Any:
    """``data`` (from :func:`encode_value`) as a value of type ``kind``; raises ``ValueError`` when it is not one."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is not type(None):
                return decode_value(option, data)
    if origin is list:
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {type(data).__name__}")
        (inner,) = typing.get_args(kind) or (Any,)
        return [decode_value(inner, v) for v in data]
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"expected an object, got {type(data).__name__}")
        return dict(data)
    if kind is Any or kind is object:
        return data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {kind.__name__}")
        hints = _hints(kind)
        values = {f.name: decode_value(hints[f.name], data[f.name]) for f in dataclasses.fields(kind) if f.name in data}
        return kind(**values)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is dt.date:
        if not isinstance(data, str):
            raise ValueError("expected a date")
        return dt.date.fromisoformat(data)
    if kind in (str, int, bool, float):
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            raise ValueError(f"expected {kind.__name__}, got {type(data).__name__}")
        return data
    raise ValueError(f"no JSON form for {kind!r}")


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    # Resolving a dataclass's annotations is slow (it evaluates strings); a journal holds thousands of values.
    return typing.get_type_hints(kind)


def decode_field(field_key: str, data: Any) -> Any:
    """The value of the template part ``field_key`` from its JSON form; ``ValueError`` for an unknown part."""
    part = template.find_part(field_key)
    if part is None or part.kind not in _PART_TYPES:
        raise ValueError(f"unknown field {field_key!r}")
    return decode_value(_PART_TYPES[part.kind], data)


# --- the journal file -------------------------------------------------------------------------------------------


def database_identity(target: str) -> str:
    """The journal's name for a database: a file's resolved path, or the URL as given (password hidden)."""
    if "://" in target:
        return target
    return str(Path(target).expanduser().resolve())


def journal_path(identity: str, folder: Path | None = None) -> Path:
    """Where the journal of the database ``identity`` lives (``folder``: the data folder by default)."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return (folder if folder is not None else data_dir()) / FOLDER / f"{digest}.jsonl"


@dataclass
class PendingUnit:
    """What the journal holds unsaved of one unit: the last value of each field edited, in edit order."""

    item: str  # ItemRef key
    run: str  # the window session that typed it
    year: int
    label: str
    read: int  # the content revision read when the first unsaved edit was made
    at: str  # the time of the last edit (ISO)
    fields: dict[str, Any] = field(default_factory=dict)  # field key → decoded value (last one wins)


class EditJournal:
    """The append-only journal of one database; see the module docstring."""

    def __init__(self, identity: str, folder: Path | None = None) -> None:
        self.identity = identity
        self.path = journal_path(identity, folder)
        self.run = uuid.uuid4().hex[:12]
        self._ends_a_line = False  # whether the file is known to end with a whole line (checked once)

    # --- writing ---------------------------------------------------------------------------------------

    def next_run(self) -> None:
        """Start a new run: the edits written so far belong to an earlier one (the window dropped them)."""
        self.run = uuid.uuid4().hex[:12]

    def _write(self, handle: typing.BinaryIO, entry: Mapping[str, Any]) -> None:
        handle.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        handle.flush()
        os.fsync(handle.fileno())

    def append(self, entry: Mapping[str, Any]) -> None:
        """Append one entry and ``fsync`` it (the call returns once it is on disk).

        The file is opened for each entry (a few microseconds beside the fsync), so
        no handle outlives the call, whatever happens to the window that journals.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        if not new and not self._ends_a_line:
            self._ends_a_line = _ends_with_newline(self.path)
        with self.path.open("ab") as handle:
            if new:
                self._write(handle, {"v": FORMAT, "journal": self.identity})
            elif not self._ends_a_line:
                # A crash may have cut the last line short: end it, or this entry would be glued to it.
                handle.write(b"\n")
            moment = dt.datetime.now().astimezone().isoformat(timespec="milliseconds")
            self._write(handle, {"v": FORMAT, "at": moment, "run": self.run, **entry})
        self._ends_a_line = True
        if new:
            _sync_folder(self.path.parent)

    def record_edit(self, *, year: int, item: str, label: str, read: int, field_key: str, value: Any) -> None:
        """An edit of ``field_key`` of unit ``item`` (its whole new value), made on content revision ``read``."""
        self.append(
            {"year": year, "item": item, "label": label, "read": read, "field": field_key, "value": encode_value(value)}
        )

    def record_saved(self, item: str, revision: int) -> None:
        """``item`` was saved: this run's earlier edits of it are no longer pending."""
        if self.path.exists():
            self.append({"item": item, "saved": revision})

    def record_discarded(self, item: str, run: str) -> None:
        """The edits of ``item`` that run ``run`` left are settled (the person dropped or restored them)."""
        if self.path.exists():
            self.append({"item": item, "discarded": True, "of_run": run})

    def clear(self) -> None:
        """This run has nothing left unsaved: remove the journal, unless it still holds a crashed run's edits."""
        if self.path.exists() and any(unit.run != self.run for unit in self.pending()):
            return
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        _sync_folder(self.path.parent)

    # --- reading ---------------------------------------------------------------------------------------

    def pending(self) -> list[PendingUnit]:
        """The units with edits not saved since, in the order of their first unsaved edit.

        Only the last value of each field is decoded (a journal of a long session holds
        many); a damaged one is skipped for the one before it.
        """
        units: dict[tuple[str, str], PendingUnit] = {}
        raw: dict[tuple[str, str], dict[str, list[tuple[int, Any]]]] = {}
        for number, entry in self._entries():
            item, run = entry.get("item"), str(entry.get("run", ""))
            if not isinstance(item, str):
                continue
            if "saved" in entry or "discarded" in entry:
                settled = (run if "saved" in entry else str(entry.get("of_run", "")), item)
                units.pop(settled, None)
                raw.pop(settled, None)
                continue
            try:
                field_key, value = str(entry["field"]), entry["value"]
                year, read = int(entry["year"]), int(entry["read"])
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("journal %s line %d skipped (not an edit: %s)", self.path, number, exc)
                continue
            unit = units.get((run, item))
            if unit is None:
                unit = PendingUnit(item, run, year, str(entry.get("label", "")), read, str(entry.get("at", "")))
                units[(run, item)] = unit
            values = raw.setdefault((run, item), {})
            # Re-inserted last: the fields are replayed in the order of their last edits.
            values[field_key] = [*values.pop(field_key, []), (number, value)]
            unit.at = str(entry.get("at", unit.at))
            unit.label = str(entry.get("label", unit.label))
        found: list[PendingUnit] = []
        for key, unit in units.items():
            for field_key, candidates in raw.get(key, {}).items():
                for number, value in reversed(candidates):
                    try:
                        unit.fields[field_key] = decode_field(field_key, value)
                        break
                    except (KeyError, TypeError, ValueError, RecursionError) as exc:
                        log.warning("journal %s line %d skipped (not an edit: %s)", self.path, number, exc)
            if unit.fields:
                found.append(unit)
        return found

    def _entries(self) -> typing.Iterator[tuple[int, dict[str, Any]]]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            log.warning("journal %s could not be read: %s", self.path, exc)
            return
        for number, line in enumerate(data.split(b"\n"), start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                log.warning("journal %s line %d skipped (too long)", self.path, number)
                continue
            try:
                entry = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                log.warning("journal %s line %d skipped (damaged, probably cut short): %s", self.path, number, exc)
                continue
            if not isinstance(entry, dict) or entry.get("v") != FORMAT:
                log.warning("journal %s line %d skipped (not a journal entry)", self.path, number)
                continue
            if "journal" in entry:
                if entry["journal"] != self.identity:
                    log.warning("journal %s belongs to %s, not %s: ignored", self.path, entry["journal"], self.identity)
                    return
                continue
            yield number, entry


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return True
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _sync_folder(folder: Path) -> None:
    # A new or removed file is durable only once its folder's entry is (POSIX); Windows has no folder fsync.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = [
    "EditJournal",
    "PendingUnit",
    "database_identity",
    "decode_field",
    "decode_value",
    "encode_value",
    "journal_path",
]
