"""Rule-based extractive summaries: key points, keywords and quotes.

Public API: :func:`summarise` (pure, synchronous, no I/O).
"""

from __future__ import annotations

from bot.language import detect_language, language_code
from bot.models import Quote, Summary
from bot.quotes import find_quotes, select_quotes
from bot.summarise.keywords import extract_keywords
from bot.summarise.rank import rank_points
from bot.summarise.sentences import Sentence, split_sentences
from bot.summarise.units import RANKABLE

__all__ = ["Sentence", "adaptive_point_count", "prepare_units", "split_sentences", "summarise"]

# Characters a bare quotation's point may hold outside the quote's words: the
# marks, a closing full stop.
_QUOTE_SLACK = 3
# Units that may stand in for sentences when a text has none (e.g. a list of
# lines without punctuation); navigation, captions and bylines never do.
_FALLBACK_KINDS = frozenset({"heading", "list", "fragment", "question"})


def adaptive_point_count(sentence_count: int) -> int:
    """About 3 points for a short piece, up to 7 for a long one."""
    if sentence_count <= 8:
        return min(3, sentence_count)
    return max(3, min(7, 2 + sentence_count // 10))


def prepare_units(text: str) -> tuple[list[str], list[bool], list[float]]:
    """(unit texts, whether each may become a key point, their sizes in words) of ``text``.

    Only real sentences are eligible; a text with none falls back to its
    other content units, so a punctuation-free note still gets points.
    """
    return _unit_lists(split_sentences(text))


def _unit_lists(units: list[Sentence]) -> tuple[list[str], list[bool], list[float]]:
    eligible = [u.kind == RANKABLE for u in units]
    if not any(eligible):
        eligible = [u.kind in _FALLBACK_KINDS for u in units]
    return [u.text for u in units], eligible, [u.size for u in units]


def summarise(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    points: int | None = None,
    max_quotes: int = 3,
) -> Summary:
    """Key points (in document order), keywords and quotes of ``text``."""
    language = language_code(language) or detect_language(text)
    units = split_sentences(text)
    texts, eligible, sizes = _unit_lists(units)
    count = points if points is not None else adaptive_point_count(sum(eligible))
    chosen = rank_points(texts, language, title, count, eligible, sizes)
    point_texts = [texts[i] for i in chosen]
    found = find_quotes(text, language) if max_quotes > 0 else []
    quotes = select_quotes(found, point_texts, max_quotes) if found else []
    keywords = extract_keywords(text, language, title=title)
    return Summary(
        language=language,
        points=point_texts,
        quotes=quotes,
        keywords=keywords,
        point_speakers=[_quoted_speaker(units[i], found) for i in chosen],
    )


def _quoted_speaker(unit: Sentence, quotes: list[Quote]) -> str | None:
    """The speaker of ``unit`` when it is nothing but a quotation and does not name them.

    A key point such as "「從競爭格局上看，外界的競爭很激烈……」" is a bare quote whose
    speaker stands in the sentence before; the reply names them after the point.
    """
    for quote in quotes:
        if quote.start > unit.end:
            break
        covers = quote.start - unit.start <= _QUOTE_SLACK and unit.end - quote.end <= _QUOTE_SLACK
        if covers and quote.speaker and not _names(unit.text, quote.speaker):
            return quote.speaker
    return None


def _names(text: str, speaker: str) -> bool:
    """Whether ``text`` mentions ``speaker`` (a surname, or a Chinese given name, will do)."""
    parts = [p for p in speaker.split() if len(p) >= 2] or [speaker]
    if len(speaker) == 3 and not speaker.isascii():
        parts.append(speaker[1:])
    return any(part in text for part in parts)
