"""Quote marks and punctuation width: rules that need to know the text's language."""

from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")

# Opening mark → closing mark, for the marks that pair unambiguously.
_PAIRS = {"「": "」", "『": "』", "“": "”", "《": "》", "（": "）"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}


def text_language(text: str) -> str:
    """``zh`` when Han characters outnumber Latin letters (by a quarter), else ``en``."""
    sample = text[:5000]
    han = len(_HAN_CHAR.findall(sample))
    latin = len(_LATIN_LETTER.findall(sample))
    return "zh" if han * 4 >= latin and han else "en"


def _balance_paragraph(paragraph: str) -> str:
    # Curly quotes pair reliably only in Chinese: German „…“ and typos like “B-“ use them otherwise.
    curly_ok = bool(_HAN_CHAR.search(paragraph)) and "„" not in paragraph
    opened: list[str] = []
    stray: list[str] = []
    for char in paragraph:
        if char in "“”" and not curly_ok:
            continue
        if char == '"':
            # ASCII " may stand in for either curly mark ("和平号”): it closes an open
            # curly or ASCII quote, else opens one that is never auto-closed.
            if opened and opened[-1] in '“"':
                opened.pop()
            else:
                opened.append('"')
            continue
        if char == "”" and opened and opened[-1] == '"' and "“" not in opened:
            opened.pop()  # "和平号”: the ASCII mark opened it — unless a “ is waiting for its ”
            continue
        if char in _PAIRS:
            opened.append(char)
        elif char in _CLOSERS:
            # .get: an ASCII " on the stack has no fixed partner.
            if opened and _PAIRS.get(opened[-1]) == char:
                opened.pop()
            elif _CLOSERS[char] in opened:
                # Closed out of order (《…“…》…”): that pair is done, the inner
                # marks stay open. Dropping them instead made a second repair
                # read the text differently from the first.
                del opened[len(opened) - 1 - opened[::-1].index(_CLOSERS[char])]
            else:
                stray.append(char)
    opened = [c for c in opened if c != '"']
    if not opened and not stray:
        return paragraph
    head = "".join(_CLOSERS[c] for c in reversed(stray))
    tail = "".join(_PAIRS[c] for c in reversed(opened))
    return head + paragraph + tail


def balance_quote_marks(text: str) -> str:
    """Close quote marks and brackets left open at the end of a paragraph (and open stray closers).

    Chinese multi-paragraph quotes leave the mark open at each paragraph end, and
    damaged pages lose closing marks; downstream quote finding works per
    paragraph, so each paragraph is made self-contained. ASCII ``"`` is not
    touched: it does not say whether it opens or closes; curly ``“”`` only in
    paragraphs with Chinese text.
    """
    return "\n".join(_balance_paragraph(p) if p else p for p in text.split("\n"))


_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
# Half-width mark right after a Han character or closing CJK mark, not inside
# numbers, URLs or code ("3,000", "http://", "a:b").
_HALF_AFTER_HAN = re.compile(rf"(?<=[{_HAN}」』》）])([,:;!?])(?![/\d])")
_HALF_PARENS = re.compile(rf"\(([^()\n]*[{_HAN}][^()\n]*)\)")
_FULL_BETWEEN_LATIN = re.compile(r"(?<=[A-Za-z0-9])([，：；！？])(?=[ A-Za-z0-9]|$)")
_TO_HALF = {v: k for k, v in _TO_FULL.items()}


def harmonise_punctuation(text: str, language: str | None = None) -> str:
    """Full-width punctuation in Chinese, half-width in English.

    Chinese: ``,:;!?`` right after a Han character become ``，：；！？`` and
    parentheses around Han text become ``（）``. English: full-width marks
    between Latin words become half-width. Marks in numbers, URLs and
    Latin-only stretches stay as they are.
    """
    language = (language or text_language(text)).lower()
    if language.startswith("zh"):
        text = _HALF_AFTER_HAN.sub(lambda m: _TO_FULL[m.group(1)], text)
        return _HALF_PARENS.sub(lambda m: f"（{m.group(1)}）", text)
    if language.startswith("en"):
        return _FULL_BETWEEN_LATIN.sub(lambda m: _TO_HALF[m.group(1)], text)
    return text


# The marker fix_and_explain looks for: call this rule with the language too.
harmonise_punctuation.uses_language = True  # type: ignore[attr-defined]  # a function attribute mypy cannot declare
