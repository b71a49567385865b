"""What every subcommand shares: opening the database, loading the report, user errors.

A subcommand is a module in this package with a ``register(subparsers)``
function; ``seri_desktop.cli`` finds them all, so adding a command never
touches the CLI itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from seri_desktop.errors import UserError

if TYPE_CHECKING:
    from typing import TypeAlias

    from sqlalchemy import URL, Engine

    from seri_desktop.domain.model import Report

EXIT_OK = 0
EXIT_FINDINGS = 1  # the command ran and found problems (check)
EXIT_USER_ERROR = 2
EXIT_BUG = 70  # EX_SOFTWARE: not the user's fault; the log has the traceback


Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # what add_subparsers() returns


class CliError(UserError):
    """A failure to report to the user in Korean, with an exit status."""

    default_code = "cli"

    def __init__(self, message: str, status: int = EXIT_USER_ERROR) -> None:
        super().__init__(message)
        self.status = status


def who(args: argparse.Namespace, option: str = "who") -> str:
    """The name a write records: ``--who`` (or ``option``) if given, else the one set with ``config --name``.

    Neither is a Korean :class:`~seri_desktop.settings.NameNotSetError` saying
    how to set it, raised before the command writes anything. Never the
    operating system's login name.
    """
    from seri_desktop.settings import require_user_name

    given = getattr(args, option, None)
    return require_user_name(str(given) if given else None)


def database_target(text: str) -> Path | URL:
    """The ``--db`` argument: a file path, or a PostgreSQL URL whose ``str()`` never shows its password.

    Anything else that looks like a URL is refused here with the store's
    Korean message, so it can never become a local file name. A file path
    is taken without importing SQLAlchemy (see :func:`load`).
    """
    from seri_desktop.store.target_kind import is_file_path

    if is_file_path(text):
        return Path(text)
    from seri_desktop.store.engine import StoreError, parse_target

    try:
        return parse_target(text)
    except StoreError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


WHO_HELP = "기록에 남길 이름 (기본: config --name 으로 정한 이름)"


def who_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--who``: the name a write records, by default the one set with ``config --name`` (see :func:`who`)."""
    parser.add_argument("--who", help=WHO_HELP)


def report_options(parser: argparse.ArgumentParser, *, year: bool = True, year_help: str | None = None) -> None:
    """Add ``--db`` (a SQLite file or a PostgreSQL URL) and, with ``year``, ``--year`` (default: the newest report)."""
    parser.add_argument("--db", type=database_target, required=True)
    if year:
        parser.add_argument("--year", type=int, help=year_help)


def open_engine(db: Path | URL, *, must_exist: bool, read_only: bool = False) -> Engine:
    """The store engine for ``db`` (a file or a PostgreSQL URL).

    ``read_only`` is for the commands that only read (info, check, export-*,
    review, audit): the database is never migrated or otherwise changed, and
    must exist. Otherwise a missing file is created unless ``must_exist``.
    """
    from seri_desktop.store.engine import create_engine_for

    return create_engine_for(db, must_exist=must_exist, read_only=read_only)


def load(args: argparse.Namespace) -> Report:
    """The report named by ``--db`` (and ``--year`` when given), opened read-only.

    A current SQLite file is read without SQLAlchemy (:mod:`seri_desktop.store.fastread`,
    half a second less of start-up); anything else, and every failure, goes
    through the store, which says what is wrong.
    """
    year = getattr(args, "year", None)
    if isinstance(args.db, Path):
        from seri_desktop.store.fastread import load_report_file

        found = load_report_file(args.db, year)
        if found is not None:
            return found
    from seri_desktop.store.repository import load_report

    engine = open_engine(args.db, must_exist=True, read_only=True)
    report = load_report(engine, year)
    if report is None:
        raise CliError(f"{args.db}: {year}년 보고서가 없습니다." if year else f"{args.db}: 저장된 보고서가 없습니다.")
    return report


def save_new_report(engine: Engine, report: Report, where: object, hint: str, *, who: str, via: str) -> None:
    """Store ``report`` as a new year in ``engine`` (at ``where``, as the message names it); never over one.

    A report of the year already there is a :class:`CliError` saying so and what to do (``hint``).
    """
    from seri_desktop.store.repository import ReportExistsError, save_report

    try:
        save_report(engine, report, who=who, via=via)
    except ReportExistsError as exc:
        raise CliError(f"{where}에 {report.year}년 보고서가 이미 있습니다. {hint}") from exc
