"""Logging for `dx10 serve`: one line per event, JSON lines when DX10_LOG_FORMAT=json.

Nothing logged at INFO carries a token or a message text: the core logs intents and ids only.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime

from bot.settings import choice

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in doc and key != "message":
                doc[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # A traceback stays one event: its line breaks are escaped, not split across lines.
        return super().format(record).replace("\n", "\\n")


def configure(env: Mapping[str, str] | None = None) -> None:
    """Log to stderr as DX10_LOG_FORMAT and DX10_LOG_LEVEL say; a value neither knows is a SettingError."""
    env = os.environ if env is None else env
    fmt = choice(env, "DX10_LOG_FORMAT", "text", FORMATS)
    level = choice(env, "DX10_LOG_LEVEL", "INFO", LEVELS)
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
