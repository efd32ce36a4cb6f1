"""Entry point for ``python -m cmdai``."""
import sys

from .cli import main

sys.exit(main())
