"""Input and output formats: the report text importer and exporter (no Qt)."""
