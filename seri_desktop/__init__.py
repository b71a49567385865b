"""seri-desktop: the yearly business report, written offline and merged by the planning office."""

__version__ = "0.1.0"
