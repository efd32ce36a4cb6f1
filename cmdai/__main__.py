"""Entry point for ``python -m cmdai``."""
from .entry import run

run()
