"""Alembic environment for the store's database, a SQLite file or a PostgreSQL server.

The program runs migrations itself (``seri_desktop.store.engine``) and hands
its open connection over in ``config.attributes["connection"]``, so the check
of the current revision and the upgrade share one transaction, whatever the
engine. From the ``alembic`` command line (developers: ``alembic -c <ini>
revision --autogenerate``) the database comes from ``-x db=<path or URL>`` or
``sqlalchemy.url`` (``sqlite:///<path>`` or ``postgresql+psycopg://...``) and
is opened through the same engine factory, pragmas and checks included.
Offline (``--sql``) mode renders the DDL of the URL's dialect.

``render_as_batch`` makes autogenerate write ``batch_alter_table`` blocks,
since SQLite can alter little in place (on PostgreSQL they become plain ALTERs).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from seri_desktop.store.engine import create_engine_for, prepared_for_migration
from seri_desktop.store.tables import metadata

config = context.config
target_metadata = metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
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


def _command_line_target() -> str:
    # -x db=<path or URL> first, then sqlalchemy.url; "sqlite:///<path>" names a file,
    # which the engine factory takes as a path (it refuses sqlite:// URLs on purpose).
    target = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
    if not target:
        raise SystemExit("give the database with -x db=<path or URL> or sqlalchemy.url (sqlite:///<path> or postgresql+psycopg://...)")
    return target.removeprefix("sqlite:///")


def run_migrations_online() -> None:
    """Run the migrations on the program's connection, or on one opened from the command line."""
    given = config.attributes.get("connection")
    if given is not None:
        _configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return

    # The factory's checks hold here too (no foreign database, no newer schema), and
    # the connection is prepared as the program prepares its own (foreign keys off on SQLite).
    engine = create_engine_for(_command_line_target(), migrate=False)
    try:
        with engine.connect() as raw, prepared_for_migration(raw) as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
