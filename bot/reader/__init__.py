"""The reader page: the whole article of a digest, with its key points highlighted.

``page`` renders it (pure); ``server`` serves it over HTTP at ``/r/<token>``.
"""

from bot.reader.page import ReaderPage, reader_address, render_reader_page

__all__ = ["ReaderPage", "reader_address", "render_reader_page"]
