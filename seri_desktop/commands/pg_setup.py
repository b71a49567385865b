"""``pg-setup``: the PostgreSQL roles and row-level security that keep departments apart on a shared database.

``seri-desktop pg-setup --db postgresql+psycopg://관리자@호스트/데이터베이스``
(run by the owner of the report's tables, with CREATEROLE) makes one login
role per department and one for the office, and the grants and policies of
:mod:`seri_desktop.store.pg_roles`. A generated password is printed once and
never stored; ``SERI_PG_PASSWORD_<ROLE>`` gives one instead. Running it again
(after a department was added, or after an upgrade) adds what is missing and
keeps the existing roles' passwords.
"""

from __future__ import annotations

import argparse

from seri_desktop.commands.common import EXIT_OK, Subparsers, database_target, open_engine


def cmd_pg_setup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from seri_desktop.store.pg_roles import PgSetupError, password_variable, setup_roles

    if isinstance(args.db, Path):
        raise PgSetupError(
            f"'{args.db}' 은(는) SQLite 파일입니다. pg-setup 은 PostgreSQL 데이터베이스에만 씁니다. "
            "SQLite 파일은 부서마다 꾸러미를 보내 나눠 씁니다(package, merge). "
            "--db 에 postgresql+psycopg://관리자@호스트/데이터베이스 주소를 지정하십시오."
        )
    engine = open_engine(args.db, must_exist=True)
    try:
        result = setup_roles(engine)
    finally:
        engine.dispose()
    print(f"'{result.database}' 데이터베이스의 역할과 행 단위 보안을 설정했습니다(표 {result.tables}개).")
    print(f"부서 역할 묶음: {result.group}")
    generated = False
    for info in [result.office, *result.departments]:
        who = "기획 부서" if info.department is None else f"부서 '{info.department}'"
        state = "새로 만듦" if info.created else "이미 있음"
        if info.password is not None:
            generated = True
            secret = f", 비밀번호: {info.password}"
        elif info.password_from_environment:
            secret = f", 비밀번호: 환경 변수 {password_variable(info.role)} 의 값"
        else:
            secret = ", 비밀번호: 바꾸지 않음"
        print(f"  {who}: {info.role} ({state}{secret})")
    if generated:
        print("새 비밀번호는 지금 한 번만 보여 줍니다. 저장되지 않으니 각 부서에 안전하게 전하십시오.")
    return EXIT_OK


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "pg-setup",
        help="공유 PostgreSQL 데이터베이스에 부서별·기획 부서 역할과 행 단위 보안 정책을 만듭니다 (다시 실행해도 됩니다)",
    )
    p.add_argument(
        "--db",
        type=database_target,
        required=True,
        help="postgresql+psycopg://관리자@호스트/데이터베이스 (보고서 표의 소유자, 역할을 만들 권한 필요)",
    )
    p.set_defaults(func=cmd_pg_setup)
