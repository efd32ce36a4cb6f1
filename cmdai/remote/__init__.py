"""Shared machinery of the backends that ask a model over HTTP: the chat-completions client, transport,
endpoint kinds, credentials and Entra ID tokens, prompt building and reply parsing."""
