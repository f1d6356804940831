"""Find direct quotes and their speakers in English, Chinese or mixed text.

Steps: pair the marks (:mod:`bot.quotes.marks`); keep the spans that are
statements, not scare quotes or titles; attribute each with the patterns of
its language (:mod:`bot.quotes.english`, :mod:`bot.quotes.chinese`, chosen
per quote so mixed text works); join a quote split around its attribution;
then, in document order, resolve pronouns to the latest compatible named
speaker, expand a surname to the full name used earlier, and let an
unattributed quote paragraph continue the previous speaker.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import islice

from bot.models import Quote
from bot.quotes import chinese, dialogue, english
from bot.quotes.lexicon import is_organisation, kin_words_zh, pronouns, surnames_zh, titles_zh
from bot.quotes.marks import Span, find_spans

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Quoted spans examined per text, in document order. Finding a speaker costs
# about 0.2 ms a quote, and 100,000 characters of nothing but "“好。”他说。"
# hold 10,000 of them (2 s of CPU); a news article or a long interview holds
# tens, a novel's chapter a few hundred. The reply shows three.
MAX_QUOTE_SPANS = 1_000
_NAMES_MARGIN = 2_000  # characters after the last examined quote its speaker may stand in
_ZH_PUNCT = re.compile(r"[，。！？；…,!?;]")
_TITLE_MINOR = frozenset(
    ["of", "the", "and", "a", "an", "in", "on", "for", "to", "with", "at", "by", "from", "or"]
)
_MIN_WORDS = 4
# How far (characters) from a bare dialogue line a mention may stand to claim it.
_NEAR = 120
_MIN_HAN = 4


@dataclass(slots=True)
class _Found:
    """A quote while it is being attributed."""

    span: Span
    text: str
    zh: bool
    speaker: tuple[str, str] | None
    para: int
    para_start: bool
    after: bool = False
    partial: bool = False
    whole: bool = False


class _Paragraphs:
    """Paragraph (line) boundaries of a text, looked up by offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.text = text

    def index(self, at: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= at:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def bounds(self, index: int) -> tuple[int, int]:
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.starts[index], end

    def neighbour(self, index: int, step: int) -> int | None:
        """The nearest non-blank paragraph before (-1) or after (+1)."""
        k = index + step
        while 0 <= k < len(self.starts):
            start, end = self.bounds(k)
            if self.text[start:end].strip():
                return k
            k += step
        return None


def find_quotes(text: str, language: str = "en") -> list[Quote]:
    """Every direct quote in ``text``, in document order, with its speaker."""
    paras = _Paragraphs(text)
    doc_zh: chinese.ChineseText | None = None
    found: list[_Found] = []
    # Per paragraph, computed once: whether it holds Chinese, and where its
    # first non-space character is. Asked afresh for every quote, a paragraph
    # of thousands of quotes was read thousands of times.
    has_han: dict[int, bool] = {}
    first_word: dict[int, int] = {}
    spans = list(islice(find_spans(text), MAX_QUOTE_SPANS + 1))
    # The name statistics (a pass over the whole text) then need only the
    # text the examined quotes stand in, and the next paragraph at most.
    names_scope = text
    if len(spans) > MAX_QUOTE_SPANS:
        del spans[MAX_QUOTE_SPANS:]
        last = paras.index(spans[-1].close_end - 1)
        scope_end = paras.bounds(paras.neighbour(last, 1) or last)[1]
        names_scope = text[: min(scope_end, spans[-1].close_end + _NAMES_MARGIN)]
    for span in spans:
        inner = _inner_text(text, span)
        if not any(c.isalnum() for c in inner):
            continue  # marks around punctuation alone ("“,") quote nothing
        para = paras.index(span.open_at)
        p_start, p_end = paras.bounds(para)
        if para not in has_han:
            has_han[para] = bool(_HAN.search(text, p_start, p_end))
            word = _NON_SPACE.search(text, p_start, p_end)
            first_word[para] = word.start() if word else p_end
        zh = has_han[para] or language.startswith("zh")
        if zh and doc_zh is None:
            doc_zh = chinese.ChineseText(names_scope)
        at_start = first_word[para] >= span.open_at
        speaker, introduced, after = _attribute(text, span, paras, para, at_start, doc_zh if zh else None)
        raw = text[span.start : span.end]
        partial = not zh and inner[:1].islower() and not introduced
        end_para_end = paras.bounds(paras.index(max(span.open_at, span.close_end - 1)))[1]
        whole = at_start and not text[span.close_end : end_para_end].strip(" 。，,.")
        # A dialogue line on its own paragraph counts however short it is.
        shown = introduced or (zh and whole)
        if not _is_statement(raw, zh and bool(_HAN.search(inner)), shown, speaker):
            continue
        found.append(_Found(span, inner, zh, speaker, para, at_start, after, partial, whole))
    # A lower-case quote is kept only as the second piece of a split quote.
    found = [f for f in _join_split(text, found) if not f.partial]
    if not found:
        return []  # spare the whole-text name analysis when nothing is a quote
    return _resolve(text, found, doc_zh)


_NON_SPACE = re.compile(r"\S")


def _inner_text(text: str, span: Span) -> str:
    """The quoted words, continuation marks and line breaks removed."""
    parts = [" ".join(text[s:e].split()) for s, e in span.pieces]
    return " ".join(p for p in parts if p).strip(" ,，")


def _attribute(
    text: str,
    span: Span,
    paras: _Paragraphs,
    para: int,
    at_start: bool,
    doc: chinese.ChineseText | None,
) -> tuple[tuple[str, str] | None, bool, bool]:
    """The speaker next to ``span``; whether a colon introduced the quote;
    whether the speaker was found after it (so a second piece may follow)."""
    p_start, _ = paras.bounds(para)
    end_para = paras.index(max(span.open_at, span.close_end - 1))
    _, p_end = paras.bounds(end_para)
    before_start = p_start
    if at_start:
        prev = paras.neighbour(para, -1)
        if prev is not None:
            q_start, q_end = paras.bounds(prev)
            if text[q_start:q_end].rstrip().endswith((":", "：")):
                before_start = q_start
    introduced = _last_visible(text, before_start, span.open_at) in (":", "：")
    if doc is not None:
        speaker = chinese.speaker_after(doc, text, span.close_end, p_end)
        if speaker is not None:
            return speaker, introduced, True
        speaker = chinese.speaker_before(doc, text, span.open_at, before_start)
        if speaker is None and not text[span.close_end : p_end].strip(" 。，,."):
            # Fiction: a short "她問。" line right after a quote paragraph.
            nxt = paras.neighbour(end_para, 1)
            if nxt is not None:
                n_start, n_end = paras.bounds(nxt)
                line = text[n_start:n_end].strip()
                mark = re.search("[「“『]", line)
                if len(line) <= 20 and line.endswith(("。", ".")) and not mark:
                    speaker = chinese.speaker_after(doc, text, n_start, n_end)
                elif mark and line[: mark.start()].endswith(("，", ",")) and mark.start() <= 20:
                    # "“A！”\n李登云說，“B…”": one tag for both pieces.
                    speaker = chinese.speaker_after(doc, text, n_start, n_start + mark.start())
                if speaker is None and at_start and not mark and not line.endswith(("：", ":")):
                    # An action beat after a bare quote names its speaker:
                    # "“他小子敢！”\n金波瞪起眼睛。"
                    speaker = chinese.subject_at(doc, line)
        return speaker, introduced, False
    speaker = english.speaker_after(text, span.close_end, p_end)
    if speaker is not None:
        return speaker, introduced, True
    speaker = english.speaker_before(text, span.open_at, before_start)
    if speaker is None and at_start and not text[span.close_end : p_end].strip(" .,"):
        # A quote paragraph signed on the next line: "“…”\n\n- Bernie Sanders."
        nxt = paras.neighbour(end_para, 1)
        if nxt is not None:
            n_start, n_end = paras.bounds(nxt)
            speaker = english.signature(text[n_start:n_end])
    return speaker, introduced, False


def _last_visible(text: str, start: int, end: int) -> str:
    """The last non-space character of ``text[start:end]`` ("" if none), found from the end.

    Only the spaces just before ``end`` are read, not the whole paragraph
    before each quote (which made a paragraph of many quotes quadratic).
    """
    at = end - 1
    while at >= start and text[at].isspace():
        at -= 1
    return text[at] if at >= start else ""


def _is_statement(inner: str, han: bool, introduced: bool, speaker: object) -> bool:
    """Statements, not scare quotes, titles or names in quotes."""
    if han:
        count = len(_HAN.findall(inner))
        punct = bool(_ZH_PUNCT.search(inner))
        if count < _MIN_HAN:
            # Short exclamations count only where someone is shown saying them.
            return punct and (introduced or speaker is not None)
        return punct or introduced
    words = inner.split()
    if not words:
        return False
    if _title_like(words):
        return introduced
    if len(words) >= _MIN_WORDS:
        return True
    return introduced or (speaker is not None and inner[-1] in ",.?!")


def _title_like(words: list[str]) -> bool:
    """Mostly capitalised short spans: a title or a name, not a statement."""
    words = [w.rstrip(".?!,") for w in words if w.rstrip(".?!,")]
    if not words or len(words) > 8:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w.lower() in _TITLE_MINOR)
    return caps == len(words) and any(w[:1].isupper() for w in words)


def _joiner(first: str, second: str, zh: bool) -> str:
    """What stands between two pieces of a split quote once the attribution is gone.

    The comma that closed the first piece was dropped with the marks; a
    sentence that goes on (lower case) gets it back, a new sentence gets a stop.
    """
    if first.endswith(("。", "！", "？", "…", ".", "!", "?", "，", ",", "；", ";", "：", ":")):
        return "" if zh else " "
    if zh:
        return "，"
    return ", " if second[:1].islower() else ". "


def _join_split(text: str, found: list[_Found]) -> list[_Found]:
    """``"A," she said, "B."``: one quote, attributed from the middle."""
    out: list[_Found] = []
    for item in found:
        prev = out[-1] if out else None
        if prev is not None and prev.para == item.para and prev.zh == item.zh:
            gap = text[prev.span.close_end : item.span.open_at]
            # The gap is the attribution sentence itself ("A," she said, "B.").
            short = len(gap.split()) <= 30 if not item.zh else len(gap) <= 24
            adjacent = not gap.strip() and prev.speaker is not None and item.speaker in (None, prev.speaker)
            split = adjacent or (
                prev.after and prev.speaker is not None and item.speaker in (None, prev.speaker)
            )
            if short and split:
                joiner = _joiner(prev.text, item.text, item.zh)
                merged = Span(
                    prev.span.start,
                    item.span.end,
                    prev.span.open_at,
                    item.span.close_end,
                    prev.span.opener,
                    item.span.closed,
                    prev.span.pieces + item.span.pieces,
                )
                out[-1] = _Found(
                    merged,
                    prev.text + joiner + item.text,
                    prev.zh,
                    prev.speaker,
                    prev.para,
                    prev.para_start,
                    item.after,
                    prev.partial,
                )
                continue
        out.append(item)
    return out


class _People:
    """Names the article mentions, with full forms and genders memoised."""

    def __init__(self, text: str, doc: chinese.ChineseText | None) -> None:
        self.text = text
        self.doc = doc
        self._full: dict[str, str] = {}
        self._gender: dict[str, str] = {}
        self._honorifics: dict[str, str] | None = None

    def full(self, word: str) -> str:
        """A one-word Latin name, or a Chinese surname with a title (王局長),
        expanded to the full name the text uses."""
        if word not in self._full:
            if self.doc is not None and _HAN.search(word):
                self._full[word] = self._chinese_full(word, self.doc)
            elif " " in word or not re.fullmatch(r"[A-Z][\w’'\-]+", word):
                self._full[word] = word
            elif self.doc is not None and word in self.doc.latin_full:
                self._full[word] = self.doc.latin_full[word]
            else:
                self._full[word] = english.known_full_name(self.text, word) or word
        return self._full[word]

    @staticmethod
    def _chinese_full(word: str, doc: chinese.ChineseText) -> str:
        """``王局長`` → ``王建國`` when ``doc`` names exactly one 王 before."""
        titles = [t for t in titles_zh() if word.endswith(t) and len(word) > len(t)]
        surname = word[: -len(titles[0])] if titles else word
        if surname not in surnames_zh():
            return word
        fuller = {n for _p, n in doc.mentions() if n.startswith(surname) and len(n) > len(surname)}
        fuller = {n for n in fuller if not any(n.endswith(t) for t in titles_zh())}
        return fuller.pop() if len(fuller) == 1 else word

    def gender(self, name: str) -> str:
        """``m``, ``f`` or ``?`` (unknown, compatible with either)."""
        if name not in self._gender:
            if _HAN.search(name):
                self._gender[name] = chinese.gender_zh(name, self.doc)
            else:
                if self._honorifics is None:
                    self._honorifics = english.honorifics(self.text)
                self._gender[name] = english.gender(self.text, name, self._honorifics)
        return self._gender[name]


def _resolve(text: str, found: list[_Found], doc: chinese.ChineseText | None) -> list[Quote]:
    """Pronouns, surnames and continuation paragraphs, in document order."""
    people = _People(text, doc)
    named: list[tuple[int, str]] = []  # (position, name) of speakers and mentions
    if doc is not None:
        named.extend(_outside_quotes(doc.mentions(), found))
    if any(not f.zh and f.speaker and f.speaker[0] == "pronoun" for f in found):
        named.extend(_outside_quotes(english.mentions(text), found))
    named.sort()
    # Where in ``named`` a subject or a speaker stands (Chinese pronouns prefer them).
    subjects: set[int] = set(doc.subject_mentions) if doc is not None else set()
    turns: list[dialogue.Turn] = []
    history: list[tuple[int, str | None]] = []  # (paragraph, speaker) of earlier quotes
    for item in found:
        pos = item.span.open_at
        name: str | None = None
        if item.speaker is not None:
            kind, word = item.speaker
            if kind == "name":
                name = people.full(word)
            elif kind == "unnamed":
                name = None
            else:
                # Resolve from where the pronoun stands: in "他看著田福堂，說：「"
                # 田福堂 comes after 他 and is not a candidate.
                at = pos
                if not item.after:
                    found_at = text.rfind(word, max(0, pos - 160), pos)
                    at = found_at if found_at >= 0 else pos
                name = _pronoun_referent(
                    word, at, named, item.zh, people, subjects if item.zh else frozenset()
                )
        elif item.para_start and history:
            name = _continuation(item, history)
        elif history and history[-1][0] == item.para:
            name = history[-1][1]  # a later quote in the same paragraph
        if name is not None:
            bisect.insort(named, (pos, name))
            subjects.add(pos)
        history.append((item.para, name))
        turns.append(
            dialogue.Turn(
                pos, item.span.close_end, name, item.speaker is not None, item.whole, len(item.text)
            )
        )
    if doc is not None:
        names = dialogue.alternate(
            text,
            turns,
            lambda at, not_this: _other_person(named, at, not_this, people),
            lambda line: chinese.find_verb(line) is not None,
        )
        mentions = sorted(_outside_quotes(doc.mentions(), found))
        for k, turn in enumerate(turns):
            if names[k] is None and found[k].zh and turn.whole:
                # A bare dialogue line nobody claims: the nearest person named
                # in the narration around it is the best remaining guess.
                names[k] = _nearest_mention(mentions, turn.open_at, turn.close_end, people)
    else:
        names = [t.name for t in turns]
    return [Quote(f.text, n, f.span.start, f.span.end) for f, n in zip(found, names, strict=True)]


def _nearest_mention(mentions: list[tuple[int, str]], start: int, end: int, people: _People) -> str | None:
    """The person mentioned closest to the span ``start``–``end``."""
    best: tuple[int, str] | None = None
    for p, name in mentions:
        distance = start - p if p < start else p - end
        if distance <= _NEAR and (best is None or distance < best[0]):
            best = (distance, name)
    return people.full(best[1]) if best else None


def _other_person(named: list[tuple[int, str]], at: int, not_this: str, people: _People) -> str | None:
    """The latest person named before ``at`` who is not ``not_this``."""
    for k in range(bisect.bisect_left(named, (at, "")) - 1, -1, -1):
        full = people.full(named[k][1])
        if full != not_this and full not in kin_words_zh():
            return full
    return None


def _outside_quotes(mentions: list[tuple[int, str]], found: list[_Found]) -> list[tuple[int, str]]:
    """Mentions not inside a quote (a name inside one is an addressee)."""
    starts = [f.span.open_at for f in found]
    out = []
    for p, n in mentions:
        k = bisect.bisect_right(starts, p) - 1
        if k < 0 or p >= found[k].span.close_end:
            out.append((p, n))
    return out


def _pronoun_referent(
    pronoun: str,
    pos: int,
    named: list[tuple[int, str]],
    zh: bool,
    people: _People,
    subjects: AbstractSet[int] = frozenset(),
) -> str | None:
    """The latest named speaker or mention before ``pos`` the pronoun fits;
    ``subjects`` holds the positions in ``named`` of subjects and speakers."""
    gender = pronouns("zh" if zh else "en").get(pronoun.lower())
    if gender is None:
        return None
    if gender == "p":  # "they", 他們: a group or an organisation, never a single person
        for k in range(bisect.bisect_left(named, (pos, "")) - 1, -1, -1):
            full = people.full(named[k][1])
            if is_organisation(full, zh):
                return full
        return None
    k_before = bisect.bisect_left(named, (pos, ""))
    # A Chinese pronoun subject continues the latest subject or speaker
    # ("少安看着润叶。他说：" is 少安's), so those are tried before any mention.
    for k in range(k_before - 1, -1, -1) if subjects else ():
        full = people.full(named[k][1])
        if named[k][0] in subjects and full not in kin_words_zh() and people.gender(full) in ("?", gender):
            return full
    for k in range(k_before - 1, -1, -1):
        full = people.full(named[k][1])
        if full not in kin_words_zh() and people.gender(full) in ("?", gender):
            return full
    if zh and people.doc is not None:
        for _p, word in reversed(people.doc.clause_subjects):
            if _p < pos and people.gender(word) == gender:
                return word
        if gender == "f" and k_before > 0:
            # No name marked female: the female characters are only a hint
            # (润叶 is a woman), so the latest person named is the best guess.
            return people.full(named[k_before - 1][1])
        # An excerpt that starts mid-story names its people only later
        # ("他赶忙说：「…」……少平低下頭"): the first person named after fits.
        for k in range(k_before, len(named)):
            full = people.full(named[k][1])
            if people.gender(full) in ("?", gender):
                return full
    return None


def _continuation(item: _Found, history: list[tuple[int, str | None]]) -> str | None:
    """Speaker of a quote paragraph with no attribution of its own.

    News continues the previous speaker; in a dialogue (the two previous
    quotes in adjacent paragraphs by different people) speakers alternate.
    """
    last_para, last = history[-1]
    if item.para - last_para > 3:
        return None
    if item.zh and len(history) >= 2:
        prev_para, prev = history[-2]
        if prev and last and prev != last and last_para - prev_para <= 3:
            return prev
    return last
