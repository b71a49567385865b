"""Alembic environment for the store's SQLite database.

The program runs migrations itself (``seri_desktop.store.engine``) and hands
its open connection over in ``config.attributes["connection"]``, so the check
of the current revision and the upgrade share one transaction. From the
``alembic`` command line (developers: ``alembic -c <ini> revision
--autogenerate``) the database comes from ``sqlalchemy.url`` or
``-x db=<path>`` and is opened through the same engine factory, pragmas
included.

``render_as_batch`` makes autogenerate write ``batch_alter_table`` blocks,
since SQLite can alter little in place.
"""

from __future__ import annotations

from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection
from sqlmodel.sql.sqltypes import AutoString

from seri_desktop.store.engine import create_engine_for
from seri_desktop.store.tables import metadata

config = context.config
target_metadata = metadata


def _render_item(type_: str, obj: object, autogen_context: AutogenContext) -> str | Literal[False]:
    # SQLModel's str columns are AutoString (VARCHAR); write them as sa.String()
    # so migrations never need to import sqlmodel.
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_offline() -> None:
    """Write the SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or "sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the program's connection, or on one opened from the command line."""
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return

    db = context.get_x_argument(as_dictionary=True).get("db")
    url = config.get_main_option("sqlalchemy.url")
    if db is None and url is not None and url.startswith("sqlite:///"):
        db = url.removeprefix("sqlite:///")
    if db is None:
        raise SystemExit("give the database with -x db=<path> or sqlalchemy.url = sqlite:///<path>")
    engine = create_engine_for(db, migrate=False)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
