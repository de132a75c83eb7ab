"""Entry point: `python -m bot` and the `danvan` console script."""

from __future__ import annotations

import sys

from bot.commands import main

if __name__ == "__main__":
    sys.exit(main())
