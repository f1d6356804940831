"""Fetch a page safely: one shared ``httpx.AsyncClient``, limits on size and
time, and a guard against requests to private addresses.

Public API: :class:`Fetcher` (``async with Fetcher(settings) as f: await f.fetch(url)``).
"""

from bot.fetch.client import Fetcher

__all__ = ["Fetcher"]
