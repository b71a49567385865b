"""Editing widgets: outlines, tables, fields; each one thin over the domain model and an edit session."""
