"""The store: SQLModel tables on SQLite, the engine factory and migrations."""
