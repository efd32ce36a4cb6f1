"""Print the rule catalog as the Markdown table docs/safety.md embeds."""
from . import catalog_markdown

print(catalog_markdown(), end="")
