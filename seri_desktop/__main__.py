"""``python -m seri_desktop``: the same as the ``seri-desktop`` command."""

import sys

from seri_desktop.cli import main

sys.exit(main())
