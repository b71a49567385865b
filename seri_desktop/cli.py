"""The ``seri-desktop`` command: the app with no subcommand, tools for the office with one.

Every subcommand, and the app itself, works on a database file or a
``postgresql+psycopg://`` URL given with ``--db`` (one parser for both:
:func:`~seri_desktop.commands.common.database_target`). Errors a user
can cause (a bad file, a report that already exists) end with a Korean
message on stderr and a non-zero exit status, never a traceback. The
subcommands live in ``seri_desktop.commands``, one module each.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from seri_desktop import __version__, commands
from seri_desktop.commands.common import EXIT_BUG, EXIT_USER_ERROR, CliError, database_target
from seri_desktop.errors import UserError
from seri_desktop.logs import report_bug, setup_logging


def _app_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The options of the app itself (no subcommand)."""
    parser = argparse.ArgumentParser(
        prog="seri-desktop",
        description="주요업무보고 작성·점검·취합 도구. 하위 명령 없이 실행하면 프로그램 창이 열립니다.",
        add_help=add_help,
    )
    parser.add_argument("--version", action="version", version=f"seri-desktop {__version__}")
    parser.add_argument(
        "--db",
        type=database_target,
        help="데이터베이스 파일이나 postgresql+psycopg://사용자@호스트/데이터베이스 주소 "
        "(기본: 사용자 데이터 폴더의 seri-desktop.sqlite; 비밀번호는 PGPASSWORD로 주거나 창에서 묻습니다)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="임시 폴더에서 가져오기·점검·PDF·엑셀·창 열기를 시험하고 모두 되면 0으로 끝냅니다",
    )
    return parser


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: the app's options and every subcommand (each module's ``register``).

    ``only``: register just the module of that subcommand (see :data:`seri_desktop.commands.MODULES`).
    """
    parser = _app_parser()
    sub = parser.add_subparsers(dest="command", metavar="명령")
    if only is not None:
        names = [commands.MODULES[only]]
    else:
        names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    for name in names:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; only the asked subcommand's module is imported (all of them for help or a wrong name).

    Every command pays for what it imports before it starts (issue 17): importing every command
    module to build the full parser cost about a fifth of a bare window's start and a sixth of a
    department's PDF.
    """
    given = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(given):
        quick, rest = _app_parser(add_help=False).parse_known_args(given)
        if not rest:
            quick.command = None
            return quick
        if rest[0] in commands.MODULES:
            return build_parser(rest[0]).parse_args(given)
    return build_parser().parse_args(given)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``seri-desktop`` and ``python -m seri_desktop``."""
    args = _parse(argv)
    if args.self_test:
        from seri_desktop.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from seri_desktop.ui.app import run_app

        return run_app(args.db)
    setup_logging()
    try:
        status: int = args.func(args)
    except UserError as exc:
        print(f"seri-desktop: {exc}", file=sys.stderr)
        return exc.status if isinstance(exc, CliError) else EXIT_USER_ERROR
    except OSError as exc:
        print(f"seri-desktop: 파일을 쓰거나 읽을 수 없습니다: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # a bug: the log gets the traceback, the person one line with its path
        print(f"seri-desktop: {report_bug(exc, args.command)}", file=sys.stderr)
        return EXIT_BUG
    return status


if __name__ == "__main__":
    sys.exit(main())
