"""Qt item models over plain rows (named qtmodels so they never collide with data models)."""
