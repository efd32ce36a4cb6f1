"""Backends that ask a model over HTTP; they share one chat-completions client (``chat``)."""
