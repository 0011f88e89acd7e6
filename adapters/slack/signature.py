"""Slack's v0 request signature, checked on raw bytes.

Bolt verifies every request it can parse; this covers the ones it cannot (bodies that are not
UTF-8 or not JSON), so an unsigned request is refused before we admit that it is malformed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

MAX_AGE = 60 * 5  # Slack's replay window


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


def is_signed(secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None) -> bool:
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    given = headers.get("X-Slack-Signature", "")
    if not secret or not timestamp.isdigit() or not given:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), given)
