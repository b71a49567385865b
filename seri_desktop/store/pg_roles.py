"""Departments kept apart by the PostgreSQL server: roles, grants and row-level security (``pg-setup``).

On a shared PostgreSQL database every department logs in as its own role and
the server itself enforces the edit policy's ownership rules, so a modified
or buggy client cannot change another department's programs:

* one LOGIN role per department of the report, named by
  :func:`department_role` from the department's permanent id (never its
  Korean name, which the office may change), all members of one NOLOGIN
  group (:func:`departments_group`) that the policies are written for;
* one LOGIN office role (:func:`office_role`) that may read and write
  everything (structure, review states, the front matter, the audit log);
* the schema owner (who ran the migrations and runs ``pg-setup``) keeps
  bypassing row-level security, as PostgreSQL does for a table's owner.

A department role reads the whole report and its review records, and
writes only its own programs (their rows, targets, budget lines, outlines),
its own section II (its department row's order and layout, its outlines),
the review records of those items (content revisions, never the state: a
trigger refuses a state change) and audit entries about its department. Of
the audit log it sees only the newest entry of each year, which it needs to
chain its own entries to (``seri_audit_tail``); the exchange tables with the
departments' keys are closed to it.

Which department a connection is: :func:`role_department_in` compares
``current_user`` with :func:`department_role` of each stored department, so
the one naming function decides in both directions; the server learns the
same mapping from the SQL function ``seri_role_department_uids()``, written
by :func:`setup_roles` from that function every time it runs (so running it
again after a department was added adds its role and its rows).

Passwords: from the environment (``SERI_PG_PASSWORD_<ROLE>``, the role name in
capitals) or generated; a generated one is returned once for the command to
print and is never stored by this program. An existing role keeps its
password unless the environment gives a new one.

Roles belong to the whole server, not to one database: the same report (the
same department ids) in two databases of one server shares its department
roles, each database granting them only through its own group and mapping.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import Connection, Engine, Table, select, text

from seri_desktop.domain.identity import ItemRef
from seri_desktop.domain.policy import Editor, ReviewState
from seri_desktop.errors import UserError
from seri_desktop.store.engine import transaction
from seri_desktop.store.tables import (
    AUDIT,
    AUTHOR_BLOCK,
    AUTHOR_ENTRY,
    BUDGET_LINE,
    CHAPTER,
    DEPARTMENT,
    EXCHANGE_REPORT,
    FRONT_TABLE,
    HISTORY,
    LISTED,
    OUTLINE,
    PACKAGE_INFO,
    PROGRAM,
    REPORT,
    REVIEW_COMMENT,
    REVIEW_ITEM,
    SUMMARY,
    TARGET,
    metadata,
)

ROLE_PREFIX: Final = "seri_"
PASSWORD_VARIABLE_PREFIX: Final = "SERI_PG_PASSWORD_"
# Every policy this module makes starts with this, so running again drops and remakes exactly ours.
POLICY_PREFIX: Final = "seri_"
_MAX_IDENTIFIER: Final = 63  # PostgreSQL's NAMEDATALEN - 1


class PgSetupError(UserError):
    """``pg-setup`` cannot run here: the message says why and what to do."""

    default_code = "pg-setup"


# --- names ----------------------------------------------------------------------------------------------


def _name_part(value: str, length: int) -> str:
    """``value`` as a lower-case identifier part of at most ``length`` characters, still telling values apart."""
    cleaned = re.sub(r"[^a-z0-9]", "", value.lower())
    if cleaned and len(cleaned) <= length and cleaned == value.lower().replace("-", ""):
        return cleaned
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()
    keep = max(0, length - 13)
    return f"{cleaned[:keep]}_{digest[:12]}" if keep else digest[:length]


def department_role(uid: str) -> str:
    """The PostgreSQL role of the department whose permanent id is ``uid`` (the one naming rule)."""
    return f"{ROLE_PREFIX}d_{_name_part(uid, _MAX_IDENTIFIER - len(ROLE_PREFIX) - 2)}"


def office_role(database: str) -> str:
    """The planning office's role for the database ``database``."""
    head = f"{ROLE_PREFIX}office_"
    return head + _name_part(database, _MAX_IDENTIFIER - len(head))


def departments_group(database: str) -> str:
    """The NOLOGIN group of every department role of ``database`` (the policies name it)."""
    head = f"{ROLE_PREFIX}departments_"
    return head + _name_part(database, _MAX_IDENTIFIER - len(head))


def password_variable(role: str) -> str:
    """The environment variable that may give ``role``'s password."""
    return PASSWORD_VARIABLE_PREFIX + role.upper()


# --- who is connected ------------------------------------------------------------------------------------


def role_department_in(conn: Connection) -> str | None:
    """The department the connection's role belongs to (its name, in the newest report), else ``None``.

    ``None`` on SQLite, for the schema owner, the office role or any other role.
    """
    if conn.dialect.name != "postgresql":
        return None
    user = str(conn.execute(text("SELECT current_user")).scalar_one())
    if not user.startswith(f"{ROLE_PREFIX}d_"):
        return None
    rows = conn.execute(
        select(DEPARTMENT.c.uid, DEPARTMENT.c.name)
        .join_from(DEPARTMENT, REPORT, DEPARTMENT.c.report_id == REPORT.c.id)
        .order_by(REPORT.c.year.desc(), DEPARTMENT.c.position)
    ).all()
    return next((str(row.name) for row in rows if department_role(str(row.uid)) == user), None)


def role_editor_in(conn: Connection) -> Editor | None:
    """The edit policy's :class:`Editor` for a department role (its programs and section II), else ``None``."""
    department = role_department_in(conn)
    if department is None:
        return None
    uids = conn.execute(select(PROGRAM.c.uid, PROGRAM.c.code).where(PROGRAM.c.department == department)).all()
    own = {ItemRef.program(str(row.uid), str(row.code)) for row in uids}
    own.add(ItemRef.section_ii(department))
    return Editor.package(department, frozenset(own))


def role_department(engine: Engine) -> str | None:
    """:func:`role_department_in` in a read transaction of its own."""
    with transaction(engine, write=False) as conn:
        return role_department_in(conn)


# --- setting up -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleInfo:
    """A role ``pg-setup`` made or found: for a department, its name; ``password`` only when just generated."""

    role: str
    department: str | None  # None: the office role
    created: bool
    password: str | None = field(default=None, repr=False)
    password_from_environment: bool = False


@dataclass(frozen=True)
class SetupResult:
    """What :func:`setup_roles` did."""

    database: str
    group: str
    office: RoleInfo
    departments: list[RoleInfo]
    tables: int


def _tables(*tables: Table) -> tuple[str, ...]:
    return tuple(table.name for table in tables)


# What every department reads: the report, its review records and comments, and who the report is.
_READABLE: Final = _tables(
    REPORT, HISTORY, FRONT_TABLE, SUMMARY, DEPARTMENT, CHAPTER, AUTHOR_BLOCK, AUTHOR_ENTRY, LISTED, PROGRAM,
    TARGET, BUDGET_LINE, OUTLINE, REVIEW_ITEM, REVIEW_COMMENT, EXCHANGE_REPORT, PACKAGE_INFO,
)  # fmt: skip
_PROGRAM_PARTS: Final = _tables(TARGET, BUDGET_LINE)
_AUDIT: Final = AUDIT.name
_REVIEW: Final = REVIEW_ITEM.name
_OUTLINE: Final = OUTLINE.name


def _quote(conn: Connection, value: str) -> str:
    """A SQL string literal of ``value`` (utility statements such as CREATE ROLE take no parameters)."""
    if "\x00" in value:
        raise PgSetupError("비밀번호에 NUL 문자를 쓸 수 없습니다.")
    return str(conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one())


def _ident(name: str) -> str:
    # Our role names are [a-z0-9_] by construction; quoted anyway.
    return '"' + name.replace('"', '""') + '"'


def _check_can_set_up(conn: Connection, where: str) -> str:
    """Refuse (Korean) unless the connected user may create roles and owns the report's tables; the schema name."""
    row = conn.execute(text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")).one()
    user = str(conn.execute(text("SELECT current_user")).scalar_one())
    if not (row.rolsuper or row.rolcreaterole):
        raise PgSetupError(
            f"'{where}' 의 사용자 '{user}' 에게는 역할(사용자)을 만들 권한(CREATEROLE)이 없습니다. "
            "데이터베이스 관리자 계정으로 pg-setup 을 실행하십시오."
        )
    schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
    owner = conn.execute(
        text("SELECT tableowner FROM pg_tables WHERE schemaname = :s AND tablename = :t"),
        {"s": schema, "t": PROGRAM.name},
    ).scalar()
    if owner is None:
        raise PgSetupError(f"'{where}' 에 보고서 표가 없습니다. 먼저 보고서를 가져오십시오(import-text --db ...).")
    if owner != user and not row.rolsuper:
        raise PgSetupError(
            f"'{where}' 의 보고서 표는 '{owner}' 의 것입니다. 표의 소유자('{owner}')나 관리자 계정으로 pg-setup 을 "
            f"실행하십시오(지금 사용자: '{user}')."
        )
    return schema


def _password(conn: Connection, role: str, environ: Mapping[str, str], *, new: bool) -> tuple[str | None, bool]:
    given = environ.get(password_variable(role), "")
    if given:
        return given, True
    return (secrets.token_urlsafe(18), False) if new else (None, False)


def _ensure_role(
    conn: Connection, role: str, department: str | None, environ: Mapping[str, str], *, login: bool = True
) -> RoleInfo:
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() is not None
    password, from_env = _password(conn, role, environ, new=not exists) if login else (None, False)
    options = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT" if login else "NOLOGIN"
    secret = f" PASSWORD {_quote(conn, password)}" if password else ""
    if exists:
        if secret:
            # Only the password: a role attribute such as NOSUPERUSER needs a superuser to alter.
            conn.execute(text(f"ALTER ROLE {_ident(role)} WITH{secret}"))
    else:
        conn.execute(text(f"CREATE ROLE {_ident(role)} WITH {options}{secret}"))
    shown = password if (password and not from_env) else None
    return RoleInfo(role, department, created=not exists, password=shown, password_from_environment=from_env)


def _stored_departments(conn: Connection) -> list[tuple[str, str]]:
    """(uid, name) of every department of every stored report, newest report first, each uid once."""
    rows = conn.execute(
        select(DEPARTMENT.c.uid, DEPARTMENT.c.name)
        .join_from(DEPARTMENT, REPORT, DEPARTMENT.c.report_id == REPORT.c.id)
        .order_by(REPORT.c.year.desc(), DEPARTMENT.c.position)
    ).all()
    seen: dict[str, str] = {}
    for row in rows:
        seen.setdefault(str(row.uid), str(row.name))
    return list(seen.items())


def setup_roles(engine: Engine, environ: Mapping[str, str] | None = None) -> SetupResult:
    """Create or bring up to date the roles, grants, functions and policies of ``engine``'s database.

    Idempotent: roles that exist are kept (and their passwords unless the
    environment gives new ones); grants, functions and our policies are made
    afresh. All in one transaction, so a failure leaves the database as it was.
    """
    env = os.environ if environ is None else environ
    if engine.dialect.name != "postgresql":
        raise PgSetupError(
            "pg-setup 은 PostgreSQL 데이터베이스에만 씁니다. SQLite 파일은 부서마다 꾸러미를 보내 나눠 씁니다"
            "(package, merge). --db 에 postgresql+psycopg://관리자@호스트/데이터베이스 주소를 지정하십시오."
        )
    where = engine.url.render_as_string(hide_password=True)
    database = str(engine.url.database)
    with transaction(engine, write=True) as conn:
        schema = _check_can_set_up(conn, where)
        departments = _stored_departments(conn)
        if not departments:
            raise PgSetupError(f"'{where}' 에 부서가 있는 보고서가 없습니다. 먼저 보고서를 가져오십시오(import-text).")
        group = departments_group(database)
        _ensure_role(conn, group, None, env, login=False)
        office = _ensure_role(conn, office_role(database), None, env)
        made = [_ensure_role(conn, department_role(uid), name, env) for uid, name in departments]
        for info in made:
            conn.execute(text(f"GRANT {_ident(group)} TO {_ident(info.role)}"))
        _grant(conn, database, schema, group, office.role)
        _functions(conn, schema, group, [(department_role(uid), uid) for uid, _ in departments])
        count = _policies(conn, schema, group, office.role)
    return SetupResult(database, group, office, made, count)


def _grant(conn: Connection, database: str, schema: str, group: str, office: str) -> None:
    s, g, o = _ident(schema), _ident(group), _ident(office)
    run = conn.execute
    run(text(f"GRANT CONNECT ON DATABASE {_ident(database)} TO {g}, {o}"))
    run(text(f"GRANT USAGE ON SCHEMA {s} TO {g}, {o}"))
    # Made afresh: a grant an earlier version of pg-setup gave and this one does not is taken back.
    run(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {g}, {o}"))
    run(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g}, {o}"))
    run(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {o}"))
    run(text(f"REVOKE INSERT, UPDATE, DELETE ON {s}.alembic_version FROM {o}"))
    run(text(f"GRANT SELECT ON {s}.alembic_version TO {g}, {o}"))
    for table in _READABLE:
        run(text(f"GRANT SELECT ON {s}.{_ident(table)} TO {g}"))
    for table in (PROGRAM.name, *_PROGRAM_PARTS, _OUTLINE):
        run(text(f"GRANT INSERT, UPDATE, DELETE ON {s}.{_ident(table)} TO {g}"))
    # A department changes its section II's order and layout, never its name (the structure's).
    run(text(f"GRANT UPDATE (order_no, layout) ON {s}.{_ident(DEPARTMENT.name)} TO {g}"))
    run(text(f"GRANT INSERT, UPDATE ON {s}.{_ident(_REVIEW)} TO {g}"))
    run(text(f"GRANT SELECT, INSERT ON {s}.{_ident(_AUDIT)} TO {g}"))


def _functions(conn: Connection, schema: str, group: str, mapping: list[tuple[str, str]]) -> None:
    s = _ident(schema)
    roles = "ARRAY[" + ", ".join(_quote(conn, role) for role, _ in mapping) + "]::text[]"
    uids = "ARRAY[" + ", ".join(_quote(conn, uid) for _, uid in mapping) + "]::text[]"
    # The department_role() mapping, for the server (written from Python every run; see the module docstring).
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {s}.seri_role_department_uids() RETURNS SETOF text "
            f"LANGUAGE sql STABLE SET search_path = {s} AS $f$ "
            f"SELECT m.uid FROM unnest({roles}, {uids}) AS m(role, uid) WHERE m.role = current_user $f$"
        )
    )
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {s}.seri_role_departments() RETURNS SETOF text "
            f"LANGUAGE sql STABLE SET search_path = {s} AS $f$ "
            f"SELECT d.name FROM {s}.{_ident(DEPARTMENT.name)} d WHERE d.uid IN (SELECT {s}.seri_role_department_uids()) $f$"
        )
    )
    # The newest audit entry of a year, read as the owner (past the policies): the one entry a
    # department sees, to chain its own to it.
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {s}.seri_audit_tail(y integer) RETURNS integer "
            f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s} AS $f$ "
            f"SELECT coalesce(max(id), 0) FROM {s}.{_ident(_AUDIT)} WHERE year = y $f$"
        )
    )
    conn.execute(text(f"REVOKE ALL ON FUNCTION {s}.seri_audit_tail(integer) FROM PUBLIC"))
    conn.execute(text(f"GRANT EXECUTE ON FUNCTION {s}.seri_audit_tail(integer) TO {_ident(group)}"))
    draft = _quote(conn, ReviewState.DRAFT.value)
    refusal = _quote(conn, STATE_REFUSAL)
    conn.execute(
        text(
            f"CREATE OR REPLACE FUNCTION {s}.seri_review_state_guard() RETURNS trigger "
            f"LANGUAGE plpgsql SET search_path = {s} AS $f$ BEGIN "
            f"IF EXISTS (SELECT 1 FROM {s}.seri_role_department_uids()) AND "
            f"((TG_OP = 'UPDATE' AND NEW.state IS DISTINCT FROM OLD.state) OR (TG_OP = 'INSERT' AND NEW.state <> {draft})) "
            f"THEN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = {refusal}; END IF; RETURN NEW; END $f$"
        )
    )
    conn.execute(
        text(
            f"CREATE OR REPLACE TRIGGER seri_review_state_guard BEFORE INSERT OR UPDATE ON {s}.{_ident(_REVIEW)} "
            f"FOR EACH ROW EXECUTE FUNCTION {s}.seri_review_state_guard()"
        )
    )


# Said by the server (the trigger) when a department role tries to change a review state.
STATE_REFUSAL: Final = (
    "검토 상태는 기획 부서만 바꿀 수 있습니다. 부서 사용자는 자기 사업과 업무 평가의 내용만 저장합니다."
)


def _policies(conn: Connection, schema: str, group: str, office: str) -> int:
    s, g, o = _ident(schema), _ident(group), _ident(office)
    mine = f"(SELECT {s}.seri_role_departments())"
    own_programs = f"(SELECT p.id FROM {s}.{_ident(PROGRAM.name)} p WHERE p.department IN {mine})"
    own_departments = (
        f"(SELECT d.id FROM {s}.{_ident(DEPARTMENT.name)} d WHERE d.uid IN (SELECT {s}.seri_role_department_uids()))"
    )
    section_ii_prefix = _quote(conn, ItemRef.section_ii("").key())
    own_items = (
        f"(item_key IN (SELECT p.uid FROM {s}.{_ident(PROGRAM.name)} p WHERE p.department IN {mine}) "
        f"OR item_key IN (SELECT {section_ii_prefix} || n FROM {s}.seri_role_departments() AS n))"
    )
    writes: dict[str, str] = {
        PROGRAM.name: f"department IN {mine}",
        **{table: f"program_id IN {own_programs}" for table in _PROGRAM_PARTS},
        _OUTLINE: f"(program_id IN {own_programs} OR department_id IN {own_departments})",
        _REVIEW: own_items,
    }
    tables = sorted(name for name in metadata.tables)
    for table in tables:
        t = f"{s}.{_ident(table)}"
        existing = conn.execute(
            text("SELECT policyname FROM pg_policies WHERE schemaname = :s AND tablename = :t"),
            {"s": schema, "t": table},
        ).scalars()
        for name in list(existing):
            if str(name).startswith(POLICY_PREFIX):
                conn.execute(text(f"DROP POLICY {_ident(str(name))} ON {t}"))
        conn.execute(text(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"CREATE POLICY seri_office ON {t} FOR ALL TO {o} USING (true) WITH CHECK (true)"))
        if table in _READABLE:
            conn.execute(text(f"CREATE POLICY seri_read ON {t} FOR SELECT TO {g} USING (true)"))
        rule = writes.get(table)
        if rule is not None:
            conn.execute(text(f"CREATE POLICY seri_insert ON {t} FOR INSERT TO {g} WITH CHECK ({rule})"))
            conn.execute(text(f"CREATE POLICY seri_update ON {t} FOR UPDATE TO {g} USING ({rule}) WITH CHECK ({rule})"))
            conn.execute(text(f"CREATE POLICY seri_delete ON {t} FOR DELETE TO {g} USING ({rule})"))
    own_section = f"uid IN (SELECT {s}.seri_role_department_uids())"
    t = f"{s}.{_ident(DEPARTMENT.name)}"
    conn.execute(
        text(f"CREATE POLICY seri_update ON {t} FOR UPDATE TO {g} USING ({own_section}) WITH CHECK ({own_section})")
    )
    t = f"{s}.{_ident(_AUDIT)}"
    # A new entry has an id above the year's newest, so an INSERT … RETURNING passes this too.
    conn.execute(text(f"CREATE POLICY seri_read ON {t} FOR SELECT TO {g} USING (id >= {s}.seri_audit_tail(year))"))
    conn.execute(text(f"CREATE POLICY seri_insert ON {t} FOR INSERT TO {g} WITH CHECK (department IN {mine})"))
    return len(tables)


__all__ = [
    "STATE_REFUSAL",
    "PgSetupError",
    "RoleInfo",
    "SetupResult",
    "department_role",
    "departments_group",
    "office_role",
    "password_variable",
    "role_department",
    "role_department_in",
    "role_editor_in",
    "setup_roles",
]
