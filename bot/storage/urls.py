"""URL normalisation for cache keys: one key per article, however the link was shared."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=1)
def _tracking_rules() -> tuple[frozenset[str], tuple[str, ...]]:
    """Exact names and prefixes (from ``name*`` lines) of tracking parameters."""
    text = resources.files("bot.storage").joinpath("data/tracking_params.txt").read_text("utf-8")
    names = [line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    exact = frozenset(n for n in names if not n.endswith("*"))
    prefixes = tuple(n[:-1] for n in names if n.endswith("*"))
    return exact, prefixes


def is_tracking_param(name: str) -> bool:
    """True for parameters such as ``utm_source`` or ``fbclid`` that never change the page."""
    exact, prefixes = _tracking_rules()
    lowered = name.lower()
    return lowered in exact or lowered.startswith(prefixes)


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters.

    Path and the remaining query keep their case and order: servers may treat
    them as case-sensitive, so changing them could merge different pages.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{port}"
    if parts.username:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def url_key(url: str) -> str:
    """A short stable key (fits in callback data) for the article at ``url``."""
    return "u" + hashlib.sha256(normalise_url(url).encode("utf-8")).hexdigest()[:23]


def content_key(kind: str, content: bytes | str) -> str:
    """A short stable key for pasted text (``kind`` "t") or a document ("d")."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return kind + hashlib.sha256(data).hexdigest()[:23]
