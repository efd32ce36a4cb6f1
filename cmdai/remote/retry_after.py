"""How long a service asks a client to wait before its next request: one reading for the
transport's retries, the rate-limit message and the failover's cool-down alike."""
from __future__ import annotations

import math
import re
import time
from typing import Mapping, Optional

from ..lazy_regex import lazy_regex

#: Headers that state a wait in milliseconds (Azure's, finer than retry-after's seconds).
_MILLISECOND_HEADERS = ("retry-after-ms", "x-ms-retry-after-ms")
_RETRY_IN_MESSAGE = lazy_regex(r"retry after (\d+(?:\.\d+)?) (second|millisecond)", re.IGNORECASE)


def retry_after_seconds(headers: Mapping[str, str], message: str = "") -> Optional[float]:
    """The wait the service asked for, in seconds, or None when it names none a client can honour.

    ``retry-after-ms`` (Azure) first, then ``retry-after`` (seconds or an HTTP date), then "retry
    after N seconds" in the error ``message``. "inf", "nan" and unreadable values are no wait.
    """
    for name in _MILLISECOND_HEADERS:
        wait = _seconds(headers.get(name), 1000.0)
        if wait is not None:
            return wait
    value = headers.get("retry-after")
    wait = _seconds(value, 1.0)
    if wait is None and value:
        wait = _seconds_until(value)
    if wait is not None:
        return wait
    match = _RETRY_IN_MESSAGE.search(message) if message else None
    if match:
        return float(match.group(1)) / (1000.0 if match.group(2).lower() == "millisecond" else 1.0)
    return None


def _seconds(value: Optional[str], scale: float) -> Optional[float]:
    try:
        seconds = float(value or "") / scale
    except ValueError:
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _seconds_until(date: str) -> Optional[float]:
    """Seconds from now until an HTTP date (``Wed, 21 Oct 2015 07:28:00 GMT``); None for other text."""
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    try:
        return max(0.0, moment.timestamp() - time.time())
    except (OverflowError, OSError, ValueError):
        return None
