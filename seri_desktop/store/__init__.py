"""The store: SQLAlchemy Core tables on SQLite or PostgreSQL, the engine factory and migrations."""
