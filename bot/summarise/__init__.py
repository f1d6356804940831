"""Rule-based extractive summaries: key points, keywords and quotes.

Public API: :func:`summarise` (pure, synchronous, no I/O).
"""

from __future__ import annotations

from bot.language import detect_language, language_code
from bot.models import Quote, Summary
from bot.quotes import find_quotes, select_quotes
from bot.summarise.clauses import join_clauses, split_clauses
from bot.summarise.keywords import extract_keywords
from bot.summarise.rank import point_runs, rank_points
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


def prepare_units(text: str, language: str | None = None) -> tuple[list[str], list[bool], list[float]]:
    """(unit texts, whether each may become a key point, their sizes in words) of ``text``.

    Only real sentences are eligible; a text with none falls back to its
    other content units, so a punctuation-free note still gets points.
    Chinese (``language`` "zh") long sentences count as their clauses.
    """
    return _unit_lists(_point_units(split_sentences(text), language)[0])


def _point_units(sentences: list[Sentence], language: str | None) -> tuple[list[Sentence], list[int]]:
    """(The units key points are chosen from: sentences, or clauses of long Chinese ones;
    each one's sentence)."""
    if language == "zh":
        return split_clauses(sentences)
    return sentences, list(range(len(sentences)))


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
    sentences = split_sentences(text)
    # How many points a text deserves depends on its sentences, not on how
    # finely its long Chinese sentences are cut.
    count = points if points is not None else adaptive_point_count(sum(_unit_lists(sentences)[1]))
    units, origins = _point_units(sentences, language)
    texts, eligible, sizes = _unit_lists(units)
    chosen = rank_points(texts, language, title, count, eligible, sizes, origins)
    runs = point_runs(chosen, origins)
    point_units = [join_clauses(units[run[0]], units[run[-1]], sentences[origins[run[0]]]) for run in runs]
    point_texts = [unit.text for unit in point_units]
    found = find_quotes(text, language) if max_quotes > 0 else []
    quotes = select_quotes(found, point_texts, max_quotes) if found else []
    keywords = extract_keywords(text, language, title=title)
    return Summary(
        language=language,
        points=point_texts,
        quotes=quotes,
        keywords=keywords,
        point_speakers=[_quoted_speaker(unit, found) for unit in point_units],
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
