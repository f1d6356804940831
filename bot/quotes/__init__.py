"""Direct quotations and who said them.

Public API: :func:`find_quotes` (every direct quote in document order) and
:func:`select_quotes` (the few worth showing in a reply).
"""

from bot.quotes.find import find_quotes
from bot.quotes.select import select_quotes

__all__ = ["find_quotes", "select_quotes"]
