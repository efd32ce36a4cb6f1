"""The one exception hierarchy of cmdai.

Every error a user can meet carries a message (what went wrong) and a hint (what to do).
The CLI turns an error into one line on stderr and the error's exit code.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

EXIT_OK = 0
EXIT_NO_COMMAND = 1
EXIT_USAGE = 2
EXIT_BLOCKED = 3
EXIT_INTERRUPTED = 130


class CmdaiError(Exception):
    """Base of every error cmdai reports to a user."""

    exit_code = EXIT_NO_COMMAND

    def __init__(self, message: str, hint: Optional[str] = None, *, debug: Optional[str] = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Extra detail (request ids, URLs) shown only with --debug.
        self.debug = debug

    def one_line(self) -> str:
        """The message and hint as the single line the CLI prints."""
        if self.hint:
            return f"{self.message} — {self.hint}"
        return self.message


class UsageError(CmdaiError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE


class ConfigError(CmdaiError):
    """A configuration file, variable or value is wrong; names the place and the fix."""

    exit_code = EXIT_USAGE


class MissingDependencyError(CmdaiError):
    """An optional extra is needed for the configured feature."""

    exit_code = EXIT_USAGE


class GeneratorError(CmdaiError):
    """A backend could not produce a command."""

    exit_code = EXIT_NO_COMMAND
    #: True for connection-class failures, where the offline engine may answer instead.
    fallback_allowed = False
    #: Seconds the service asked to wait before the next request (retry-after), when it said.
    retry_after: Optional[float] = None


class BackendUnavailableError(GeneratorError):
    """The service could not be reached or is failing (DNS, refused, TLS, timeout, 5xx)."""

    fallback_allowed = True


class BackendTimeoutError(BackendUnavailableError):
    """The service did not answer within the time allowed."""


class AuthenticationError(GeneratorError):
    """The service refused our credentials or permissions (401, 403)."""


class BackendConfigurationError(GeneratorError):
    """The service says the request does not fit it (404 path, deployment, api-version, 400)."""


class RateLimitError(GeneratorError):
    """The service kept answering 429 or asked for a longer wait than the deadline allows."""

    def __init__(self, message: str, hint: Optional[str] = None, *, retry_after: Optional[float] = None,
                 debug: Optional[str] = None):
        super().__init__(message, hint, debug=debug)
        self.retry_after = retry_after


class ContentFilteredError(GeneratorError):
    """The organisation's content policy filtered the request or the answer."""


class ModelOutputError(GeneratorError):
    """The model answered, but with nothing usable as a command."""


class NoAnswerError(GeneratorError):
    """The offline engine has no confident answer for this request."""


class RedirectedError(BackendConfigurationError):
    """The service answered with a redirect, which cmdai does not follow (credentials stay with the host)."""


class OutputError(CmdaiError):
    """The answer could not be written (stdout closed or full, an encoding that cannot hold it)."""


class SafetyBlockedError(CmdaiError):
    """The active safety policy blocks the generated command."""

    exit_code = EXIT_BLOCKED
