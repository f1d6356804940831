"""The systems the summariser is compared with: Lead-N, sumy, newspaper.

Each baseline is a function ``(item, n) -> list[str]`` of the chosen
sentences, so the benchmark can time and score them all the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from _summ_common import Item

from bot.summarise import prepare_units, split_sentences, summarise

System = Callable[[Item, int], list[str]]


def ours(language: str) -> System:
    """Keypoint's summariser, given the title when the set has one."""

    def run(item: Item, n: int) -> list[str]:
        return summarise(item.body, title=item.title, language=language, points=n).points

    return run


def lead(item: Item, n: int) -> list[str]:
    """The first ``n`` sentences (our splitter, so only the choice differs)."""
    return [s.text for s in split_sentences(item.body)][:n]


def lead_units(language: str) -> System:
    """The first ``n`` units Keypoint chooses among: for Chinese, long sentences
    cut into clauses (``bot.summarise.clauses``). Against this row, Keypoint's
    margin is its choice alone, not its units."""

    def run(item: Item, n: int) -> list[str]:
        texts, eligible, _ = prepare_units(item.body, language)
        return [text for text, ok in zip(texts, eligible, strict=True) if ok][:n]

    return run


def sumy_system(method: str, language: str) -> System:
    """sumy's LexRank, TextRank or Luhn with its own tokenizer and stemmer."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    name = "chinese" if language == "zh" else "english"
    classes = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "luhn": LuhnSummarizer}
    summarizer = classes[method](Stemmer(name))
    summarizer.stop_words = get_stop_words(name)
    tokenizer = Tokenizer(name)

    def run(item: Item, n: int) -> list[str]:
        parser = PlaintextParser.from_string(item.body, tokenizer)
        return [str(s) for s in summarizer(parser.document, n)]

    return run


def newspaper_system(item: Item, n: int) -> list[str]:
    """newspaper3k's ``nlp.summarize``; it returns nothing without a title.

    The Chinese set's title is the reference, so there we pass the first line
    of the abstract instead (and newspaper's English Punkt splitter still
    applies — that is how the library behaves on Chinese).
    """
    from newspaper import nlp

    title = item.title or item.body.split("\n", 1)[0][:60]
    return list(nlp.summarize(title=title, text=item.body, max_sents=n))
