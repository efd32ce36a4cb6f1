"""Shared machinery of the backends that ask a model over HTTP.

``chat`` (the base class a backend subclasses), ``exchange`` (the protocol loop), ``request_options``
(what a deployment accepts), ``service_errors`` (error answers), ``retry_after``, ``model_list``,
``transport`` (HTTP, retries, one deadline), ``endpoints`` (Azure endpoint kinds and api-version),
``credentials`` and ``entra/`` (keys and Entra ID tokens), ``health`` (--doctor), ``prompting`` and
``parsing`` (prompt building and reply parsing).
"""
