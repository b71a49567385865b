"""The subcommands of ``seri-desktop``: one module each, found by ``seri_desktop.cli``."""
