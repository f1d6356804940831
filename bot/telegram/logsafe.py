"""Logging that never shows the bot token.

httpx logs every request URL at INFO, and Bot API URLs contain the token, so
those loggers stay at WARNING; a filter on every handler also replaces the
token wherever it still appears (messages, arguments, tracebacks).
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

REDACTED = "<token>"
_NOISY = ("httpx", "httpcore", "telegram.ext.ExtBot", "telegram.Bot")
_EXTRACTORS = ("trafilatura", "htmldate", "courlan", "readability", "justext")


class RedactTokenFilter(logging.Filter):
    """Replace ``token`` in every record that passes through the handler."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg, record.args = message.replace(self._token, REDACTED), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, REDACTED)
        if record.stack_info and self._token in record.stack_info:
            record.stack_info = record.stack_info.replace(self._token, REDACTED)
        return True


def configure_logging(level: str, token: str | None, stream: TextIO | None = None) -> logging.Handler:
    """Root logging to ``stream`` (stderr) with the token filter on every root handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Extraction libraries log a page they cannot parse as an ERROR; for us that
    # is an expected answer ("not an article"), reported by our own code.
    for name in _EXTRACTORS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if token:
        for existing in root.handlers:
            existing.addFilter(RedactTokenFilter(token))
    return handler
