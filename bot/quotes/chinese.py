"""Who said a Chinese quote, and which words of a Chinese text are names.

Patterns: ``X說/表示/指出…：「…」`` (speaker before, often with a colon),
``「…」X表示。`` (after), a colon-ended line introducing the quote on the
next line, and ``「…」`` followed by a short ``她問。`` line (fiction).

Names are recognised without a list of names: a 2–3 character word in
subject position (at the start of a clause, or right before a speech verb)
that begins with a common family name, or that the text repeats; Latin
names (``Ben Schmidt``) are capitalised words in a Chinese sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, cached_property

from bot.quotes.lexicon import (
    after_name_zh,
    female_chars_zh,
    gender_words_zh,
    not_names_zh,
    not_verbs_zh,
    organisation_markers,
    place_units_zh,
    pronouns,
    speech_verbs_zh,
    surnames_zh,
    titles_zh,
)

Speaker = tuple[str, str] | None

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_LATIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?:[ ·\-][A-Z][a-z]+){0,2}(?![A-Za-z0-9])")
_CLAUSE_BREAK = re.compile(r"[，,、；;：:。！？!?」』”\n]")
# Paragraph breaks are not listed: callers bound the search to a paragraph,
# or to the colon-ended paragraph that introduces a quote.
_SENTENCE_BREAK = re.compile(r"[。！？!?]")
# Characters a name never contains (function words, pronouns, numerals).
_STOP_CHARS = frozenset(
    "的了是在不这這那一个個们們他她我你它和就也都说說着著把被从從对對到向与與跟给給让讓很又还還便用吃喝"
    "却卻已要会會能可没沒上下里裡中来來去过過地得之而且此其所为為时時当當自己么麼吗嗎呢吧啊些样樣"
    "什怎谁誰哪每各该該两兩几幾十百千万萬日号號点點这第以於于如若但并並或及再更最太多"
    "笑问問道答叫喊想看听聽见見走跑坐站拿做突忽刻"
)
# Two or three Han characters: the shape of a name (checked per candidate, so compiled once).
_HAN_WORD = re.compile(f"[{_HAN}]{{2,3}}")
# Last characters of place names (邵阳市, 西吉县) that no person's name has.
_PLACE_ENDS = frozenset("市县縣省")
# Characters that follow a verb but never a name: aspect particles and 而.
_AFTER_VERB = frozenset("着著而")
# Second characters of words that start with 着 itself (着急, 着手, 着想 …):
# in 金俊山着急地说 着 is no particle.
_ZHE_WORD_ENDS = frozenset("急手想实實迷重眼落凉涼")
# A motion verb and a bare destination, then a pause or 去/来: "去石门，".
_DESTINATION = re.compile(
    rf"(?:去|回到|回|跑到|走到|来到|來到|开到|開到|赶到|趕到)了?([{_HAN}]{{2,3}}?)(?=[，。！？,.!?…、\n]|去|来|來)"
)
# Words that open a clause before its subject ("但馬斯克說", "讓馬斯克…").
_LEADERS = re.compile(
    r"^(?:對此|对此|但是|但|而|並|并|就|也|才|便|又|還|还|却|卻|只好|連|连|讓|让|令|使|據|据|於是|于是"
    r"|接著|接着|這時|这时|等到|等|當|当)"
)
# Prepositions that mark the following noun as an object, not the speaker.
_OBJECT_MARKERS = (
    "對",
    "对",
    "向",
    "跟",
    "給",
    "给",
    "和",
    "與",
    "与",
    "被",
    "問",
    "问",
    "替",
    "告訴",
    "告诉",
)


class ChineseText:
    """A Chinese (or mixed) text with the name statistics attribution needs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._valid_cache: dict[str, bool] = {}
        self.latin_full: dict[str, str] = {}
        for match in _LATIN_NAME.finditer(text):
            if " " in match.group():
                self.latin_full.setdefault(match.group().split()[-1], match.group())

    @cached_property
    def _counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for run in re.findall(f"[{_HAN}]+", self.text):
            for size in (2, 3):
                for k in range(len(run) - size + 1):
                    counts[run[k : k + size]] += 1
        return counts

    @cached_property
    def _speakers(self) -> frozenset[str]:
        """Given names seen as the subject of a speech verb somewhere, so that
        names without a family name (少平) are told from nouns (模型)."""
        found: set[str] = set()
        starts: Counter[str] = Counter()
        for _begin, clause in _clauses(self.text, 0, len(self.text)):
            verb = find_verb(clause)
            if verb:
                skip = _lead_end(clause)
                name = self._name_at(clause[skip:])
                # The verb must follow closely ("少平對妹妹說"), not end a long
                # clause, and not an adverbial one ("痛心地說", "用平和的語氣說").
                between = clause[skip + len(name) if name else 0 : verb[0]]
                if name and len(between) <= 6 and not re.search("[地的得]", between):
                    found.add(name)
            else:
                name = self._name_at(clause)
                if name:
                    starts[name] += 1
        # A word that opens two or more clauses is a subject, likely a name.
        found.update(n for n, c in starts.items() if c >= 2)
        # So is the word opening a sentence that goes on to speak:
        # "建軍看了她一眼，問：".
        for sentence in re.split(r"[。！？!?\n「」“”『』]", self.text):
            if find_verb(sentence):
                name = self._name_at(sentence[_lead_end(sentence) :])
                if name:
                    found.add(name)
        # A word seen once is as likely a verb or noun (思謀了好一陣，才說) as a
        # name, unless it starts with a family name.
        return frozenset(n for n in found if self._counts[n] >= 2 or n[0] in surnames_zh())

    @cached_property
    def _places(self) -> frozenset[str]:
        """Two- and three-character words the text shows right before a place
        unit (石门公社, 东山地区): places, even where they open a clause."""
        found: set[str] = set()
        units = "|".join(map(re.escape, place_units_zh()))
        for match in re.finditer(units, self.text):
            for size in (2, 3):
                word = self.text[max(0, match.start() - size) : match.start()]
                if re.fullmatch(f"[{_HAN}]{{{size}}}", word):
                    found.add(word)
        # "去石门，" / "到东山去": a destination. People take a place word
        # after them (到他跟前, 去她家), so a bare word there is a place.
        found.update(m.group(1) for m in _DESTINATION.finditer(self.text))
        # "根民说公社的事": a word with a function character is no place.
        return frozenset(w for w in found if not any(c in _STOP_CHARS for c in w))

    @cached_property
    def _name_firsts(self) -> frozenset[str]:
        """First characters a person's name can have here (see :meth:`_person`)."""
        return (
            frozenset(s[0] for s in surnames_zh())
            | frozenset(w[0] for w in self._speakers)
            | frozenset(w[0] for w in self._given_names)
        )

    @cached_property
    def _given_names(self) -> frozenset[str]:
        """Given names of the full names that speak here (曉霞 of 田曉霞): the
        text may use one alone, even only once."""
        return frozenset(n[1:] for n in self._speakers if len(n) == 3 and n[0] in surnames_zh())

    def _person(self, word: str) -> bool:
        return (
            word[0] in surnames_zh()
            or word[:2] in surnames_zh()
            or word in self._speakers
            or word in self._given_names
        )

    def valid(self, word: str) -> bool:
        """Whether ``word`` has the shape of a name (memoised per text)."""
        known = self._valid_cache.get(word)
        if known is None:
            known = self._valid_cache[word] = self._check(word)
        return known

    def _check(self, word: str) -> bool:
        if any(c in _STOP_CHARS for c in word) or word in not_names_zh() or word[:2] in not_names_zh():
            return False
        if word in self._places or word[-1] in _PLACE_ENDS:
            return False
        if len(word) == 3 and word[1] == "某":
            return False  # 孫某 is the whole name: 孫某驚 adds the next word
        if word.startswith(_verbs_by_first_char().get(word[0], ())):
            return False  # "表示 OpenAI 不分享…": the verb opens the clause, no name does
        titles = _title_set()
        for size in range(1, len(word) + 1):
            # "田主任" names a person; "副總裁" alone does not.
            prefix = word[:-size]
            if word[-size:] in titles and not (prefix and prefix in surnames_zh()):
                return False
        return True

    def name_at(self, segment: str) -> str | None:
        """A person's name at the very start of ``segment``."""
        name = self._name_at(segment)
        return name if name and self._person(name) else None

    def _name_at(self, segment: str) -> str | None:
        """A name-like word at the start of ``segment`` (2 or 3 characters)."""
        three, two = segment[:3], segment[:2]
        place = three in self._places or (
            len(three) == 3 and three[-1] in _PLACE_ENDS and not any(c in _STOP_CHARS for c in three)
        )
        if three in not_names_zh() or place:
            return None  # 白衬衫, 东阳市: 白衬, 东阳 start a word, not a name
        # 少平大声说: the name is 少平, then 大声 (loudly).
        breaks_off = (
            segment[2:4] in after_name_zh()
            or segment[2:5] in after_name_zh()
            or _verb_opens(segment, 2)
            or segment.startswith(_two_char_titles(), 2)
            or segment.startswith(place_units_zh(), 2)  # 南开大学: not 南开大
            # 苗凯转而说, 马顺接着说, 金富拉过: an aspect particle follows a
            # verb, never a name, so the third character is that verb.
            or (segment[3:4] in _AFTER_VERB and segment[4:5] not in _ZHE_WORD_ENDS)
        )
        if len(three) == 3 and not breaks_off and _HAN_WORD.fullmatch(three) and self.valid(three):
            surname_led = three[0] in surnames_zh() or three[:2] in surnames_zh()
            # After a full name comes a function word ("金俊山也說"), which
            # tells 金俊山 from 金俊 where the family shares 金俊-.
            closed = len(segment) > 3 and segment[3] in _STOP_CHARS
            if self._counts[three] >= 2 or (
                surname_led and (closed or self._counts[two] <= self._counts[three])
            ):
                return three
        if len(two) == 2 and _HAN_WORD.fullmatch(two) and self.valid(two):
            return two
        return None

    def candidates(self, clause: str) -> list[tuple[int, str, str]]:
        """``(position, kind, word)`` of names and pronouns in ``clause``."""
        found: list[tuple[int, str, str]] = []
        for match in _LATIN_NAME.finditer(clause):
            word = match.group()
            if " " in word or word in self.latin_full:
                found.append((match.start(), "name", self.latin_full.get(word, word)))
        for pron in sorted(pronouns("zh"), key=len, reverse=True):
            for match in re.finditer(pron, clause):
                if not any(p <= match.start() < p + len(w) for p, _k, w in found):
                    found.append((match.start(), "pronoun", pron))
        start = _lead_end(clause)
        name = self.name_at(clause[start:])
        if name:
            found.append((start, "name", name))
        free = start + (len(name) if name else 1)
        firsts = self._name_firsts
        for k in range(free, len(clause) - 1):
            if k < free or clause[k] not in firsts:
                continue  # a person's name starts with a family name or a known speaker
            if _inside_word(clause, k):
                continue  # 明白神: 白 is the end of 明白, not a family name
            name = self.name_at(clause[k:])
            # A name seen once counts when a title introduces it ("局長王建國").
            if name and (self._counts[name] >= 2 or clause[:k].endswith(titles_zh())):
                found.append((k, "name", name))
                free = k + len(name)
        found.sort()
        return [f for f in found if not _object_marked(clause, f[0])]

    def addressed_as(self, name: str) -> str | None:
        """The sex the address words after ``name`` (or its given name) show, if they agree."""
        forms = [name, name[1:]] if len(name) == 3 and name[0] in surnames_zh() else [name]
        votes = {self._addresses[form] for form in forms if form in self._addresses}
        return votes.pop() if len(votes) == 1 and None not in votes else None

    @cached_property
    def _addresses(self) -> dict[str, str | None]:
        """Two- and three-character words followed by an address word (润叶姐), by
        the sex it shows; None where the text disagrees with itself."""
        words = gender_words_zh()
        out: dict[str, str | None] = {}
        # 姐夫 (a sister's husband) is not an address to a woman.
        for match in re.finditer(f"({'|'.join(map(re.escape, words))})(?!夫)", self.text):
            for size in (2, 3):
                form = self.text[max(0, match.start() - size) : match.start()]
                if len(form) == size:
                    sex = words[match.group(1)]
                    out[form] = sex if out.get(form, sex) == sex else None
        return out

    @cached_property
    def clause_subjects(self) -> list[tuple[int, str]]:
        """``(position, word)`` of name-like words opening a clause: the weak
        evidence pronouns fall back on when no known person fits."""
        out: list[tuple[int, str]] = []
        for begin, clause in _clauses(self.text, 0, len(self.text)):
            skip = _lead_end(clause)
            word = self._name_at(clause[skip:])
            if word and self._counts[word] >= 2:
                out.append((begin + skip, word))
        return out

    def mentions(self) -> list[tuple[int, str]]:
        """Every ``(position, name)`` mention in the text (outside quotes); computed once."""
        return list(self._mentions)

    @cached_property
    def _clause_candidates(self) -> list[tuple[int, str, list[tuple[int, str, str]]]]:
        """``(begin, clause, candidates)`` of every clause, found once for
        the mentions and the subjects alike."""
        return [(begin, seg, self.candidates(seg)) for begin, seg in _clauses(self.text, 0, len(self.text))]

    @cached_property
    def _mentions(self) -> list[tuple[int, str]]:
        return [
            (begin + pos, word)
            for begin, _seg, cands in self._clause_candidates
            for pos, kind, word in cands
            if kind == "name"
        ]

    @cached_property
    def subject_mentions(self) -> frozenset[int]:
        """Positions of the mentions that open their clause, after a leader
        word or a title (退休教師張德明認為): subjects, which a later pronoun
        most often continues."""
        out: set[int] = set()
        for begin, seg, cands in self._clause_candidates:
            skip = _lead_end(seg)
            for pos, kind, _word in cands:
                head = seg[skip:pos]
                titled = head.endswith(titles_zh()) and not any(c in _STOP_CHARS for c in head)
                if kind == "name" and (pos <= skip or titled):
                    out.add(begin + pos)
        return frozenset(out)


@cache
def _title_set() -> frozenset[str]:
    return frozenset(titles_zh())


@cache
def _two_char_titles() -> tuple[str, ...]:
    """Titles of two or more characters: in 省委书记 a title starts at the
    third character, so no three-character name (省委书) ends there."""
    return tuple(t for t in titles_zh() if len(t) >= 2)


def _lead_end(clause: str) -> int:
    """Where the subject of ``clause`` starts: after a leader word (但, 就,
    于是), unless the leader begins a listed word (也许: 许 is no name)."""
    lead = _LEADERS.match(clause)
    if not lead:
        return 0
    end = lead.end()
    if clause[end - 1 : end + 1] in not_names_zh() or clause[end - 1 : end + 2] in not_names_zh():
        return 0
    return end


def _role_before(doc: ChineseText, segment: str, at: int) -> bool:
    """Whether ``segment[:at]`` is only the word for what the person named at
    ``at`` is ("渔民李大海问", "市民张建华表示"): two to four characters, not
    ending a longer word (有关高层) and not holding a name that runs on into
    the words after it (贺耀|宗甚至说 is 贺耀宗)."""
    head = segment[:at]
    if not 2 <= len(head) <= 4 or any(c in _STOP_CHARS for c in head) or _inside_word(segment, at):
        return False
    return all(k + len(word) <= at or k >= at for k, _kind, word in doc.candidates(segment))


def _inside_word(clause: str, k: int) -> bool:
    """Whether ``clause[k]`` is the second or third character of a listed
    common word (明白, 白衬衫), so no name starts there."""
    words = not_names_zh()
    return any(
        clause[k - back : k - back + size] in words
        for back in (1, 2)
        for size in (2, 3)
        if back < size and k >= back
    )


def _object_marked(clause: str, pos: int) -> bool:
    head = clause[:pos].rstrip()
    if head.endswith(("問", "问")) and head[-2:-1] in ("顧", "顾", "學", "学", "疑", "訪", "访"):
        return False  # 顧問 (adviser), 學問: nouns, not "asked"
    return head.endswith(_OBJECT_MARKERS)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    begin = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.start() > begin:
            out.append((begin, text[begin : match.start()]))
        begin = match.end()
    if end > begin:
        out.append((begin, text[begin:end]))
    return out


def _mask_not_verbs(segment: str) -> str:
    """``segment`` with words like 知道 blanked out (same length)."""
    for word in not_verbs_zh():
        if word in segment:
            segment = segment.replace(word, "＿" * len(word))
    return segment


def find_verb(segment: str) -> tuple[int, int] | None:
    """``(start, end)`` of the last speech verb in ``segment`` (the longest
    one where several start at that place)."""
    segment = _mask_not_verbs(segment)
    by_first = _verbs_by_first_char()
    for at in range(len(segment) - 1, -1, -1):
        for verb in by_first.get(segment[at], ()):
            if segment.startswith(verb, at):
                return _whole_verb(segment, at, at + len(verb))
    return None


def _whole_verb(segment: str, start: int, end: int) -> tuple[int, int]:
    """The verb at ``start:end`` widened to a listed compound that ends at or
    after ``end`` and starts before it: in 亮亮追问 the verb is 追问, not 问,
    so the name before it is 亮亮 rather than 亮亮追."""
    by_first = _verbs_by_first_char()
    longest = len(speech_verbs_zh()[0])
    for at in range(max(0, start - longest + 1), start):
        for verb in by_first.get(segment[at], ()):
            if segment.startswith(verb, at) and at + len(verb) >= end:
                return (at, at + len(verb))
    return (start, end)


def _verb_opens(segment: str, at: int = 0) -> bool:
    """Whether a speech verb of two or more characters starts at ``segment[at]``:
    in 亮亮追问 the name is 亮亮, since 追 starts 追问 rather than ending 亮亮追."""
    return any(
        len(verb) >= 2 and segment.startswith(verb, at)
        for verb in _verbs_by_first_char().get(segment[at : at + 1], ())
    )


@cache
def _verbs_by_first_char() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for verb in speech_verbs_zh():  # longest first
        table.setdefault(verb[0], []).append(verb)
    return {k: tuple(v) for k, v in table.items()}


def subject_of(doc: ChineseText, text: str, verb_at: int, floor: int) -> Speaker:
    """The speaker of a verb at ``verb_at``: searched back to the sentence start."""
    start = floor
    for match in _SENTENCE_BREAK.finditer(text, floor, verb_at):
        start = match.end()
    # "港務局局長陳志強回應": a family-name-led name right before the verb
    # (or before a chain of verbs: "回應稱").
    moved = True
    while moved:
        moved = False
        for verb in speech_verbs_zh():
            if verb_at - len(verb) >= start and text.endswith(verb, start, verb_at):
                verb_at -= len(verb)
                moved = True
                break
    while verb_at > start and text[verb_at - 1] == " ":
        verb_at -= 1
    for size in (3, 2):
        word = text[max(start, verb_at - size) : verb_at]
        head = text[start : verb_at - size]
        bounded = not head or not re.search(f"[{_HAN}]$", head) or head.endswith(titles_zh())
        if size == 3 and not bounded:
            bounded = _role_before(doc, text[start:verb_at], len(head))
        if (
            bounded
            and re.fullmatch(f"[{_HAN}]{{{size}}}", word)
            and word[0] in surnames_zh()
            and doc.valid(word)
        ):
            return ("name", word)
    organisation = _organisation_before(text, start, verb_at)
    if organisation:
        return ("name", organisation)
    clauses = _clauses(text, start, verb_at)
    for index in range(len(clauses) - 1, -1, -1):
        cands = doc.candidates(clauses[index][1])
        if cands:
            # A clause-initial name is the subject; else the one nearest the verb.
            first = _titled_person(clauses[index][1], cands)
            if first[0] <= _lead_end(clauses[index][1]):
                return (first[1], first[2])
            begin, clause = clauses[index]
            if begin + len(clause) == verb_at:
                last = cands[-1]
                between = clause[last[0] + len(last[2]) :]
                # "…未和妻子發生性關係的31歲男子在…時說": a word that 的 makes a
                # modifier is not the subject.
                if "的" in between:
                    return None
                return (last[1], last[2])
            # In an earlier clause a name that does not open it is an object
            # ("…盯着她，问："): the subject is further back.
    return None


def _titled_person(clause: str, cands: list[tuple[int, str, str]]) -> tuple[int, str, str]:
    """The first candidate, or the person it introduces through a title:
    in "港務局局長陳志強", 陳志強 rather than 港務局."""
    first = cands[0]
    if len(cands) > 1 and cands[1][1] == "name":
        between = clause[first[0] + len(first[2]) : cands[1][0]]
        # "南通市委书记王晖": the rest of a body's name may come before the title.
        if between.endswith(titles_zh()) and not any(c in _STOP_CHARS for c in between):
            return (first[0], cands[1][1], cands[1][2])
    return first


_WHEN = (
    "(?:周[一二三四五六日]|星期[一二三四五六日天]|週[一二三四五六日]"
    "|今天|昨天|今日|昨日|日前|近日|本周|本週|上周|上週|當天|当天)?"
)


def _organisation_before(text: str, start: int, verb_at: int) -> str | None:
    """``交通局表示`` / ``外交部周一指出``: an organisation speaking (names only
    ever found persons). The organisation is the Han run ending in a marker."""
    markers = "|".join(sorted(map(re.escape, organisation_markers("zh")), key=len, reverse=True))
    match = re.search(f"([{_HAN}]{{0,10}}?(?:{markers})){_WHEN}$", text[start:verb_at])
    if not match:
        return None
    run = match.group(1)
    # "他在大學表示": the organisation starts after the last function word.
    if any(c in _STOP_CHARS for c in run):
        return None  # "他在大學表示": a place after a preposition, not a speaker
    return run if len(run) >= 2 else None


def subject_at(doc: ChineseText, line: str) -> Speaker:
    """A name or pronoun opening ``line`` (the subject of a narrative line)."""
    cands = [c for c in doc.candidates(line[:12]) if c[0] == 0]
    return (cands[0][1], cands[0][2]) if cands else None


def speaker_before(doc: ChineseText, text: str, open_at: int, floor: int) -> Speaker:
    """``X說：「`` / ``X表示，…：「`` / a colon after a clause naming someone."""
    start = floor
    for match in _SENTENCE_BREAK.finditer(text, floor, open_at):
        start = match.end()
    region = text[start:open_at]
    verb = find_verb(region)
    if verb:
        found = subject_of(doc, text, start + verb[0], start)
        if found is None and _has_no_subject(region, verb[0]):
            # "玉亭想了一下。\n就說：「": the speaker is the last sentence's subject.
            found = subject_at(doc, _previous_sentence(text, start))
        elif found is None and verb[1] >= len(region.rstrip(" ：:，,")):
            # "美國學生道：「": someone is named, just not by a name; the
            # previous speaker must not be carried over to this quote.
            found = ("unnamed", "")
        return found
    if region.rstrip().endswith((":", "：")):
        for _begin, seg in reversed(_clauses(text, start, open_at)):
            cands = doc.candidates(seg)
            if cands:
                return (cands[0][1], cands[0][2])
    return None


def _has_no_subject(region: str, verb_at: int) -> bool:
    """Whether the clause holding the verb is only a leader and the verb: 就說, 便問道, 說."""
    clause = re.split(r"[，,。！？!?\n]", region[:verb_at])[-1].strip()
    return len(clause) - _lead_end(clause) <= 2 and not re.search(r"[，,]", region[:verb_at])


def _previous_sentence(text: str, before: int) -> str:
    """The sentence ending just before ``before`` (at most 80 characters back)."""
    pieces = [p for p in re.split(r"[。！？!?\n「」“”]", text[max(0, before - 80) : before]) if p.strip()]
    return pieces[-1].strip() if pieces else ""


def speaker_after(doc: ChineseText, text: str, close_end: int, stop: int) -> Speaker:
    """``」X表示。`` / ``，」他說。`` right after the closing mark."""
    region = text[close_end:stop]
    cut = re.search(r"[。！？!?「“『]", region)
    if cut:
        region = region[: cut.start()]
    verb = find_verb(region[:24])
    if not verb or re.match(r"\s*[:：]", region[verb[1] :]):
        return None  # "X說：" introduces the next quote, not this one
    head = region[: verb[0]].strip(" ，,")
    if len(head) > 20:
        return None
    cands = doc.candidates(head)
    if cands:
        # "省委书记乔伯年开玩笑说": the person the title introduces.
        first = _titled_person(head, cands)
        return (first[1], first[2])
    return None


def gender_zh(name: str, doc: ChineseText | None = None) -> str:
    """``f`` when a character marks the name as female or the text addresses
    the person as a woman (润叶姐, 陳思遠女士), else ``m``."""
    if any(c in female_chars_zh() for c in name[1:] or name):
        return "f"
    return (doc.addressed_as(name) if doc is not None else None) or "m"
