"""Who said an English quote: the attribution patterns of news writing.

Patterns, tried in this order for each quote:

* after the closing mark: ``,” Smith said`` / ``,” said Smith`` /
  ``,” she said`` / ``,” according to Smith`` / ``” — Smith``;
* before the opening mark, in the same sentence: ``Smith said: “`` /
  ``said Smith, “`` / ``Smith told reporters that “`` / ``Smith: “``.

A speaker is returned as ``("name", text)``, ``("pronoun", word)`` or
``None``; pronouns are resolved later, against the whole article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bot.language import function_word_languages, function_words
from bot.quotes.lexicon import grammar_en, not_names_en, pronouns, roles_en, speech_verbs_en, titles_en

Speaker = tuple[str, str] | None

_TOKEN = re.compile(r"\S+")
_LEAD = "“‘\"'([{«"
_TRAIL = "”’\"'.,;:!?)]}»"
# Words that may stand between a subject and its verb ("Smith also said").
_BETWEEN = frozenset(
    [
        "also",
        "later",
        "then",
        "once",
        "again",
        "previously",
        "recently",
        "has",
        "had",
        "have",
        "would",
        "will",
        "further",
        "first",
        "still",
        "just",
        "often",
        "repeatedly",
        "publicly",
        "privately",
        "simply",
        "flatly",
        "quickly",
        "bluntly",
        "told",
    ]
)
_NAME_STOPS = frozenset(
    [
        "of",
        "who",
        "whose",
        "which",
        "at",
        "in",
        "on",
        "from",
        "for",
        "to",
        "and",
        "with",
        "during",
        "after",
        "before",
        "about",
        "by",
        "into",
        "over",
        "than",
        "that",
        "when",
        "if",
        "as",
    ]
)
_PARTICLES = frozenset(
    [
        "de",
        "la",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "du",
        "del",
        "le",
        "bin",
        "al",
        "el",
        "st.",
        "jr.",
        "sr.",
    ]
)
_SENTENCE_END_CANDIDATE = re.compile(r"[.!?](?=\s+[“\"'A-Z])")
_ABBREVIATIONS = frozenset(
    ["Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "vs.", "Co.", "Inc.", "Corp.", "Ltd."]
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+")
_SUFFIXES = frozenset(["Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"])


class _SentenceEnds:
    """Sentence-final stops, skipping those of initials and titles (Rep.)."""

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        for match in _SENTENCE_END_CANDIDATE.finditer(text, start, end):
            if text[match.start()] == ".":
                words = text[max(start, match.start() - 12) : match.start() + 1].split()
                last = words[-1].lstrip(_LEAD) if words else ""
                if last in _ABBREVIATIONS or last in titles_en() or _INITIALS.fullmatch(last):
                    continue
            yield match

    def search(self, text: str, start: int, end: int) -> re.Match[str] | None:
        return next(iter(self.finditer(text, start, end)), None)


_SENTENCE_END = _SentenceEnds()


@dataclass(frozen=True, slots=True)
class _Tok:
    """A whitespace-separated token with its punctuation peeled off."""

    core: str
    lead: str
    trail: str
    start: int


def _tokens(text: str, offset: int = 0) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        core = raw.lstrip(_LEAD)
        lead = raw[: len(raw) - len(core)]
        stripped = core.rstrip(_TRAIL)
        # Keep the full stop of an initial or an abbreviated title ("G.", "Sen.").
        if core[len(stripped) : len(stripped) + 1] == "." and (
            re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", stripped) or stripped + "." in titles_en()
        ):
            stripped += "."
        out.append(_Tok(stripped, lead, core[len(stripped) :], offset + m.start()))
    return out


def _is_cap(tok: _Tok) -> bool:
    word = tok.core
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def _is_verb(tok: _Tok, nxt: _Tok | None = None) -> bool:
    word = tok.core.lower()
    if word in speech_verbs_en():
        return True
    # Two-word cues ("put it", "shot back") are listed as put+it.
    return nxt is not None and f"{word}+{nxt.core.lower()}" in speech_verbs_en()


def _verb_at(toks: list[_Tok], k: int) -> bool:
    return _is_verb(toks[k], toks[k + 1] if k + 1 < len(toks) else None)


def _pronoun(tok: _Tok) -> str | None:
    word = tok.core.lower()
    return word if word in pronouns("en") else None


@cache
def _other_function_words() -> frozenset[str]:
    """Function words of the other languages we identify (English has not-names-en.txt)."""
    return frozenset().union(*(function_words(code) for code in function_word_languages() if code != "en"))


def _function_word(word: str) -> bool:
    # Three letters or fewer could be a surname as well (Han, Son, Van).
    return len(word) >= 4 and word.lower() in _other_function_words()


def clean_name(words: list[str]) -> str | None:
    """A run of capitalised words as a person's name: titles stripped."""
    if len(words) == 1 and (
        words[0] in titles_en() or words[0] in not_names_en() or _function_word(words[0])
    ):
        return None  # "Quando" (Portuguese "when"), "Jangan" (Indonesian "don't") open sentences, not names
    # Strip titles from the front but keep the last word: "Mr. Prince" is Prince.
    while len(words) > 1 and (words[0] in titles_en() or words[0] in not_names_en()):
        words = words[1:]
    words = [w[:-2] if w.endswith(("’s", "'s")) else w for w in words]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    if not words or words[-1] in not_names_en():
        return None
    if len(words) >= 2 and all(w.isupper() and len(w) > 1 for w in words):
        return None  # a shouted heading ("RED STATES OUTNUMBER BLUE"), not a name
    if any(w in grammar_en("headline") for w in words[1:]):
        return None  # title case ("Hillary Aid And CNN", "Important Than Electing Obama")
    return " ".join(words[-4:])


def _run_back(toks: list[_Tok], end: int) -> list[str]:
    """Capitalised name run ending just before index ``end``."""
    words: list[str] = []
    k = end - 1
    while k >= 0:
        tok = toks[k]
        if not (_is_cap(tok) or (words and tok.core.lower() in _PARTICLES)):
            break
        if k < end - 1 and tok.trail and not (tok.trail == "." and tok.core in _SUFFIXES):
            break  # a comma or a full stop: "…Bernie Sanders. Band member Flea" is two runs
        words.insert(0, tok.core)
        if tok.lead:
            break
        k -= 1
    return words


def _subject_before(toks: list[_Tok], verb: int) -> Speaker:
    """The subject standing before the verb at index ``verb``."""
    k = verb
    while k > 0 and toks[k - 1].core.lower() in _BETWEEN and not toks[k - 1].trail:
        k -= 1
    if k == 0:
        return None
    # Party and state: "Rep. Earl Blumenauer (D-Ore.) said".
    if ")" in toks[k - 1].trail:
        for a in range(k - 1, max(-1, k - 5), -1):
            if toks[a].lead.startswith("("):
                k = a
                break
    if k == 0:
        return None
    # Appositive: "Smith, a spokesman for the campaign, said". It may hold
    # commas and names of its own ("Goldberg, editor of The Forward, an
    # influential newspaper, said"): a name after a preposition is inside it.
    if toks[k - 1].trail.startswith(",") and k >= 2:
        for a in range(k - 2, max(-1, k - 30), -1):
            if not toks[a].trail.startswith(","):
                continue
            if _pronoun(toks[a]):
                k = a + 1
                break
            if _is_cap(toks[a]):
                before = a - len(_run_back(toks, a + 1))
                if before >= 0 and _is_cap(toks[before]) and toks[before].trail == ",":
                    before -= len(_run_back(toks, before + 1))  # "of Raleigh, N.C.,": city and state
                if before >= 0 and toks[before].core.lower() in grammar_en("preposition"):
                    continue
                k = a + 1
                break
    pron = _pronoun(toks[k - 1])
    if pron and not toks[k - 1].trail:
        return ("pronoun", pron)
    if toks[k - 1].trail not in ("", ",", ")"):
        return None
    run = _run_back(toks, k)
    start = k - len(run)
    # "Mr. Morgan of the Sierra Club said": the person, not the organisation.
    for skip in (("the", "of"), ("of",)):
        at = start - len(skip)
        if at > 0 and tuple(t.core for t in toks[at:start][::-1]) == skip:
            person = _run_back(toks, at)
            if person and clean_name(person):
                run = person
            break
    name = clean_name(run)
    return ("name", name) if name else None


def _subject_after(toks: list[_Tok], verb: int) -> Speaker:
    """The subject following the verb at ``verb`` ("said Smith")."""
    if verb + 1 >= len(toks):
        return None
    first = toks[verb + 1]
    pron = _pronoun(first)
    if pron and toks[verb].trail == "":
        return ("pronoun", pron)
    # The name ends the phrase after the verb; earlier capitalised words are
    # modifiers ("said Republican party boss Reince Priebus"), and a name
    # followed by a plain noun is not one ("said White House officials").
    words: list[str] = []
    start = verb + 2 if toks[verb].trail == "" and _two_word(toks, verb) else verb + 1
    for tok in toks[start : start + 10]:
        if tok.lead and words:
            break
        if _is_cap(tok) or (words and tok.core.lower() in _PARTICLES):
            words.append(tok.core)
        elif tok.core.lower() in _NAME_STOPS:
            break
        else:
            words = []
        if tok.trail and tok.trail != ".":
            break
        if tok.trail == "." and not re.fullmatch(r"(?:[A-Z]\.)+|[A-Z][a-z]{0,3}\.", tok.core):
            break
    name = clean_name(words)
    return ("name", name) if name else None


def _two_word(toks: list[_Tok], k: int) -> bool:
    return k + 1 < len(toks) and f"{toks[k].core.lower()}+{toks[k + 1].core.lower()}" in speech_verbs_en()


def _according_to(toks: list[_Tok]) -> Speaker:
    for k in range(len(toks) - 2):
        if toks[k].core.lower() == "according" and toks[k + 1].core.lower() == "to":
            return _subject_after(toks, k + 1)
    return None


def speaker_after(text: str, close_end: int, para_end: int) -> Speaker:
    """Attribution right after a quote: ``,” Smith said`` and its variants."""
    stop = para_end
    for pattern in (re.compile(r"[“\"«]"), _SENTENCE_END):
        found = pattern.search(text, close_end, stop)
        if found:
            stop = found.start() + (0 if pattern is not _SENTENCE_END else 1)
    region = text[close_end:stop]
    dash = re.match(r"\s*(?:—|–|―|--|-)\s*", region)
    toks = _tokens(region, close_end)
    if not toks:
        return None
    if toks[0].core in grammar_en("conjunction"):
        # "…,'' but he denied it" is a new clause, not an attribution; in
        # "…" but to take the lead, says Tracey" the attribution follows a comma.
        comma = next((k + 1 for k, tok in enumerate(toks) if tok.trail.startswith(",")), len(toks))
        toks = toks[comma:]
        if not toks:
            return None
    if dash:
        words = _run_forward(_tokens(region[dash.end() :]))
        name = clean_name(words)
        if name:
            return ("name", name)
    for k, tok in enumerate(toks[:16]):
        if _verb_at(toks, k):
            if k == 0:
                return _subject_after(toks, 0)
            if toks[k - 1].trail.startswith(",") and toks[k].core.lower() in grammar_en("inverting"):
                # "…” that Sanders can catch Clinton, said Steve Elmendorf":
                # a name after "said" is the speaker, not the one before the comma.
                after = _subject_after(toks, k)
                if after is not None and after[0] == "name":
                    return after
            run = _run_forward(toks)
            if run and toks[len(run) - 1].trail.startswith(",") and k - len(run) > 1:
                # "Mr. Daniloff, now 81 and retired in Cambridge, Mass., said".
                name = clean_name(run)
                if name:
                    return ("name", name)
            return _subject_before(toks, k) or _subject_after(toks, k) or _leading_subject(toks)
        if tok.trail[:1] in (".", ";", "!", "?") and not _is_cap(tok):
            break
    if _COMMA_CLOSE.search(text, max(0, close_end - 4), close_end):
        # ",” Hannity started.": a comma inside the quote hands over to a
        # name and one verb, whatever the verb.
        tail = _TAGGED_TAIL.match(region)
        if tail:
            name = clean_name(_run_forward(_tokens(tail.group(1))))
            if name:
                return ("name", name)
    return _according_to(toks[:6])


_COMMA_CLOSE = re.compile(r",\s*[”\"'’]+\s*$")
_TAGGED_TAIL = re.compile(r"\s*([A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3})\s+[a-z]+\.(?:\s|$)")
_SIGNATURE = re.compile(r"\s*(?:—|–|―|--|-)\s*([^\n]{2,60}?)[.\s]*")


def signature(line: str) -> Speaker:
    """A line that only signs the quote above it: ``- Bernie Sanders.``"""
    found = _SIGNATURE.fullmatch(line)
    if not found:
        return None
    words = _run_forward(_tokens(found.group(1)))
    if len(words) != len(_tokens(found.group(1))):
        return None  # more than a name: a sentence, not a signature
    name = clean_name(words)
    return ("name", name) if name else None


def _leading_subject(toks: list[_Tok]) -> Speaker:
    """The name (or pronoun) that opens a clause: its grammatical subject.

    An opening phrase ("On Tuesday,", "Appearing on CNN,") is skipped; role
    words may stand before the name ("Republican presidential candidate
    Donald Trump"), so the first run that is a name after titles are
    stripped wins.
    """
    k = 0
    first = toks[0].core if toks else ""
    if first in not_names_en() or first.endswith("ing"):
        for a, tok in enumerate(toks[:8]):
            if tok.trail.startswith(","):
                k = a + 1
                break
    while k < len(toks) and toks[k].core.lower() in ("former", "then", "the", "late"):
        k += 1
    if k >= len(toks):
        return None
    pron = _pronoun(toks[k])
    if pron:
        return ("pronoun", pron)
    words: list[str] = []
    for j in range(k, min(len(toks), k + 8)):
        tok = toks[j]
        if tok.lead and words:
            break
        if _is_cap(tok):
            words.append(tok.core)
        elif (
            tok.core == "of"
            and words
            and j + 1 < len(toks)
            and _is_cap(toks[j + 1])
            and words[-1] in titles_en()
        ):
            words.append("of")  # "Secretary of State Madeleine Albright"
        elif words:
            name = _clean_run(words)
            after_role = _name_after_role(toks, j)
            if after_role:
                return ("name", after_role)  # "Council leader Helen Marsh": the person
            if name:
                return ("name", name)
            words = []
            if not tok.core.islower() or tok.core in _NAME_STOPS:
                break
        else:
            break
        if tok.trail and not (tok.trail == "." and tok.core in _SUFFIXES):
            break
    name = _clean_run(words) if words else None
    return ("name", name) if name else None


def _name_after_role(toks: list[_Tok], at: int) -> str | None:
    """The name after one to three lower-case words at ``at`` that end in a role noun."""
    k = at
    while k < len(toks) and k < at + 3 and toks[k].core.islower() and not toks[k].trail and not toks[k].lead:
        k += 1
    if k == at or k >= len(toks) or toks[k - 1].core not in roles_en():
        return None
    run = _run_forward(toks[k:])
    return clean_name(run) if run else None


def _acts(toks: list[_Tok], name: str) -> bool:
    """Whether ``name`` stands in ``toks`` directly before a lower-case word (its verb)."""
    last = name.split()[-1]
    for k, tok in enumerate(toks[:-1]):
        if tok.core.startswith(last) and not tok.trail:
            return toks[k + 1].core[:1].islower()
    return False


def _clean_run(words: list[str]) -> str | None:
    while "of" in words:
        words = words[words.index("of") + 2 :]  # drop "Secretary of State"
    return clean_name(words) if words else None


def _run_forward(toks: list[_Tok]) -> list[str]:
    words: list[str] = []
    for tok in toks:
        if not _is_cap(tok):
            break
        words.append(tok.core)
        if tok.trail and not (tok.trail == "." and tok.core in _SUFFIXES):
            break
    return words


_LOOK_BACK = 1000  # characters: longer than any sentence a quote is introduced in


def speaker_before(text: str, open_at: int, para_start: int) -> Speaker:
    """Attribution before a quote, in the same sentence as its opening mark."""
    # The sentence holding the opening mark starts after the last sentence end
    # before it; only the last _LOOK_BACK characters are searched for one, or
    # a paragraph of thousands of quotes is read again for every quote.
    region_start = max(para_start, open_at - _LOOK_BACK)
    for found in _SENTENCE_END.finditer(text, region_start, open_at):
        region_start = found.end()
    region_start = max(region_start, _last_closing_mark(text, region_start, open_at))
    toks = _tokens(text[region_start:open_at], region_start)
    if not toks:
        return None
    for k in range(len(toks) - 1, -1, -1):
        if _verb_at(toks, k):
            if toks[k].core.lower().endswith("ing") and k > 0 and toks[k - 1].trail.startswith(","):
                # "Clinton ..., telling the crowd, “": the clause's subject.
                return _leading_subject(toks[:k]) or _subject_after(toks, k)
            # "Hayek ... and said,": the sentence subject.
            return _subject_before(toks, k) or _subject_after(toks, k) or _leading_subject(toks[:k])
    last = toks[-1]
    if last.trail.startswith(":"):
        run = _run_back(toks, len(toks))
        name = clean_name(run)
        lead_in = len(toks) - len(run) - 1
        # "Smith: “", "More from Smith: “", "pollster Daron Shaw: “".
        if name and (
            len(toks) <= 6
            or " " in name
            or (lead_in >= 0 and toks[lead_in].core.lower() in ("from", "by", "-", "—", "–"))
        ):
            return ("name", name)
        # "Trump leaned in and boomed: “…”": a clause that introduces the
        # quote with a colon is spoken by its subject, whatever the verb.
        subject = _leading_subject(toks)
        if subject is not None and subject[0] == "name" and _acts(toks, subject[1]):
            return subject
    return _according_to(toks)


def _last_closing_mark(text: str, start: int, end: int) -> int:
    """Index just after the last closing quote mark in ``text[start:end]`` (``start`` if none).

    A ’ between two letters is an apostrophe ("Clinton’s"), not a closing mark.
    """
    best = start
    for mark in ("”", '"', "''", "»", "’"):
        at = text.rfind(mark, start, end)
        while (
            at >= 0
            and mark == "’"
            and 0 < at < len(text) - 1
            and text[at - 1].isalpha()
            and text[at + 1].isalpha()
        ):
            at = text.rfind(mark, start, at)
        if at >= 0:
            best = max(best, at + len(mark))
    return best


_CAPITALISED_RUN = re.compile(r"((?:[A-Z][\w’'.\-]*[ \t]+){1,3})$")


def _word_char(char: str) -> bool:
    return char.isalnum() or char in "_’'"


def _after_last_full_stop(words: list[str]) -> list[str]:
    """The words after the last one that ends a sentence ("Sanders." in "Bernie Sanders. Band")."""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word.endswith(".") and not (
            _INITIALS.fullmatch(word) or word in _ABBREVIATIONS or word in titles_en()
        ):
            return words[k + 1 :]
    return words


def known_full_name(text: str, surname: str) -> str | None:
    """The first full form ("Ilya Sutskever") of a one-word name in ``text``.

    Finds the surname first (a literal search) and looks back from each
    occurrence, rather than matching capitalised runs across the whole text:
    one regex over a long article per surname was most of the quote time.
    """
    at = text.find(surname)
    while at != -1:
        end = at + len(surname)
        whole_word = (at == 0 or not _word_char(text[at - 1])) and (
            end == len(text) or not _word_char(text[end])
        )
        before = _CAPITALISED_RUN.search(text, max(0, at - 120), at) if whole_word else None
        at = text.find(surname, end)
        if before is None:
            continue
        name = clean_name([*_after_last_full_stop(before.group(1).split()), surname])
        if name and " " in name:
            return name
    return None


@cache
def _verb_pattern() -> re.Pattern[str]:
    single = [w for w in speech_verbs_en() if "+" not in w]
    words = "|".join(re.escape(w) for w in sorted(single, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\b")


def mentions(text: str) -> list[tuple[int, str]]:
    """``(position, name)`` of people named as the subject of a speech verb
    anywhere (reported speech too), for resolving pronouns."""
    out: list[tuple[int, str]] = []
    for match in _verb_pattern().finditer(text):
        start = max(0, match.start() - 100)
        toks = _tokens(text[start : match.end()], start)
        speaker = _subject_before(toks, len(toks) - 1)
        if speaker and speaker[0] == "name":
            out.append((toks[-1].start, speaker[1]))
    return out


_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.? ([A-Z][\w’'\-]*)\b")


def honorifics(text: str) -> dict[str, str]:
    """Surname → ``m``/``f`` for every "Mr./Ms./Mrs./Miss Surname" in the text (one pass)."""
    found: dict[str, str] = {}
    for match in _HONORIFIC.finditer(text):
        if match.group(1) == "Mr" or match.group(2) not in found:
            found[match.group(2)] = "m" if match.group(1) == "Mr" else "f"
    return found


def gender(text: str, name: str, known: dict[str, str] | None = None) -> str:
    """``m``/``f`` when the text calls the person Mr./Ms., else ``?``.

    ``known`` is :func:`honorifics` of ``text``, when the caller asks often.
    """
    table = honorifics(text) if known is None else known
    return table.get(name.split()[-1], "?")
