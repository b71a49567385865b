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

    from sqlalchemy import Engine

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


def open_engine(db: Path, *, must_exist: bool) -> Engine:
    """The store engine for ``db``; a missing file is a user error when it must exist."""
    from seri_desktop.store.engine import create_engine_for

    if must_exist and not db.is_file():
        raise CliError(f"데이터베이스 파일이 없습니다: {db}")
    return create_engine_for(db)


def load(args: argparse.Namespace) -> Report:
    """The report named by ``--db`` (and ``--year`` when given)."""
    from seri_desktop.store.repository import load_report

    engine = open_engine(Path(args.db), must_exist=True)
    year = getattr(args, "year", None)
    report = load_report(engine, year)
    if report is None:
        raise CliError(f"{args.db}: {year}년 보고서가 없습니다." if year else f"{args.db}: 저장된 보고서가 없습니다.")
    return report
