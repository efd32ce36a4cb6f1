"""cmdai: plain words in, a vetted shell command out."""

__version__ = "0.1.0"
