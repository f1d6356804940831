"""Errors a user can be told about. Each carries a stable ``code`` the bot maps
to a message in the chat's language."""

from __future__ import annotations


class KeypointError(Exception):
    """Base class: something about the input, explained in one sentence."""

    code = "failed"


class InvalidSourceError(KeypointError):
    code = "invalid_source"


class UnreachableError(KeypointError):
    code = "unreachable"


class BlockedAddressError(KeypointError):
    code = "blocked_address"


class FetchTimeoutError(KeypointError):
    code = "timed_out"


class TooLargeError(KeypointError):
    code = "too_large"


class UnsupportedContentError(KeypointError):
    code = "unsupported_type"


class NotAnArticleError(KeypointError):
    code = "not_an_article"


class EmptyTextError(KeypointError):
    code = "empty_text"


class TooComplexError(KeypointError):
    """The text or page used up its CPU-time budget before a summary was made."""

    code = "too_complex"
