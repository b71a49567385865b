"""Qt item models over plain rows (named qtmodels so they never collide with SQLModel models)."""
