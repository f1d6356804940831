"""Keypoint: key points and quotes with speakers, from a link or pasted text.

The pipeline's public entry points are re-exported here; the Telegram layer
lives in :mod:`bot.telegram` and is imported only by ``keypoint run``.
"""

from bot.models import Article, Digest, FetchedPage, Quote, Summary
from bot.pipeline import digest_article, digest_html, digest_page, digest_text, digest_url

__all__ = [
    "Article",
    "Digest",
    "FetchedPage",
    "Quote",
    "Summary",
    "digest_article",
    "digest_html",
    "digest_page",
    "digest_text",
    "digest_url",
]

__version__ = "0.1.0"
