"""Rule-based extractive summaries: key points, keywords and quotes.

Public API: :func:`summarise` (pure, synchronous, no I/O).
"""

from __future__ import annotations

from bot.language import detect_language
from bot.models import Summary
from bot.quotes import find_quotes, select_quotes
from bot.summarise.keywords import extract_keywords
from bot.summarise.rank import rank_sentences
from bot.summarise.sentences import Sentence, split_sentences

__all__ = ["summarise", "split_sentences", "Sentence", "adaptive_point_count"]


def adaptive_point_count(sentence_count: int) -> int:
    """About 3 points for a short piece, up to 7 for a long one."""
    if sentence_count <= 8:
        return min(3, sentence_count)
    return max(3, min(7, 2 + sentence_count // 10))


def summarise(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    points: int | None = None,
    max_quotes: int = 3,
) -> Summary:
    """Key points (in document order), keywords and quotes of ``text``."""
    language = language or detect_language(text)
    sentences = split_sentences(text)
    count = points if points is not None else adaptive_point_count(len(sentences))
    ranked = rank_sentences(sentences, language, title)
    chosen = sorted(index for _score, index in ranked[: max(0, count)])
    point_texts = [sentences[i].text for i in chosen]
    quotes = select_quotes(find_quotes(text, language), point_texts, max_quotes)
    keywords = extract_keywords(text, language, title=title)
    return Summary(language=language, points=point_texts, quotes=quotes, keywords=keywords)
