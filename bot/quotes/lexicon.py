"""Language data for quote attribution, read once from ``bot/quotes/data``.

Word lists live in data files (one entry per line, or several separated by
spaces; ``#`` starts a comment) so that adding a speech verb or a title is an
edit to a text file, not to code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _entries(name: str) -> list[str]:
    """Whitespace-separated entries of a data file, comments dropped."""
    text = resources.files("bot.quotes").joinpath("data", name).read_text("utf-8")
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        out.extend(line.split())
    return out


def _pairs(name: str) -> dict[str, str]:
    """``key<TAB>value`` lines of a data file."""
    text = resources.files("bot.quotes").joinpath("data", name).read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        key, value = line.split("\t", 1)
        out[key.strip()] = value.strip()
    return out


@cache
def _classes(name: str) -> dict[str, list[str]]:
    """``label: word word …`` lines of a data file, by label."""
    text = resources.files("bot.quotes").joinpath("data", name).read_text("utf-8")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        label, colon, words = line.partition(":")
        if colon and not line.startswith("#"):
            out.setdefault(label.strip(), []).extend(words.split())
    return out


@cache
def grammar_en(word_class: str) -> frozenset[str]:
    """One small closed English word class from ``grammar-en.txt`` ("headline", "conjunction"…)."""
    return frozenset(_classes("grammar-en.txt")[word_class])


@cache
def roles_en() -> frozenset[str]:
    """Lower-case role nouns that may stand just before a person's name."""
    return frozenset(_entries("roles-en.txt"))


@cache
def speech_verbs_en() -> frozenset[str]:
    """Lower-case English speech verbs in all listed forms."""
    return frozenset(_entries("speech-verbs-en.txt"))


@cache
def speech_verbs_zh() -> tuple[str, ...]:
    """Chinese speech verbs, longest first so the matcher prefers 說道 to 說."""
    return tuple(sorted(set(_entries("speech-verbs-zh.txt")), key=len, reverse=True))


@cache
def titles_en() -> frozenset[str]:
    """Capitalised title and affiliation words stripped before a name."""
    return frozenset(_entries("titles-en.txt"))


@cache
def not_names_en() -> frozenset[str]:
    """Capitalised words that are never a speaker on their own."""
    return frozenset(_entries("not-names-en.txt"))


@cache
def pronouns(language: str) -> dict[str, str]:
    """Pronoun → gender (``m``, ``f`` or ``p``) for ``en`` or ``zh``."""
    return _pairs(f"pronouns-{language}.txt")


@cache
def surnames_zh() -> frozenset[str]:
    """Common Chinese family names, one or two characters."""
    return frozenset(_entries("surnames-zh.txt"))


@cache
def female_chars_zh() -> frozenset[str]:
    """Characters that mark a Chinese name or kin word as female."""
    return frozenset("".join(_entries("female-chars-zh.txt")))


@cache
def gender_words_zh() -> dict[str, str]:
    """Address words after a Chinese name (女士, 哥 …) → ``f`` or ``m``, longest first."""
    classes = _classes("gender-words-zh.txt")
    out = {word: sex[0] for sex in ("female", "male") for word in classes[sex]}
    return dict(sorted(out.items(), key=lambda item: len(item[0]), reverse=True))


@cache
def kin_words_zh() -> frozenset[str]:
    """Kinship words used alone for a person (妹妹, 老汉): not a name."""
    return frozenset(_entries("kin-words-zh.txt"))


@cache
def titles_zh() -> tuple[str, ...]:
    """Chinese role and title words, longest first."""
    return tuple(sorted(set(_entries("titles-zh.txt")), key=len, reverse=True))


@cache
def after_name_zh() -> frozenset[str]:
    """Words that follow a two-character name ("大声" in 少平大声说)."""
    return frozenset(_entries("after-name-zh.txt"))


@cache
def not_names_zh() -> frozenset[str]:
    """Chinese words that stand in subject position but are not names, with
    the frequent common words that begin like one (关心, 温暖, 毛巾)."""
    return frozenset(_entries("not-names-zh.txt")) | frozenset(_entries("common-words-zh.txt"))


@cache
def place_units_zh() -> tuple[str, ...]:
    """Words that follow a place's name (公社, 县城, 小学), longest first."""
    return tuple(sorted(set(_entries("place-units-zh.txt")), key=len, reverse=True))


@cache
def not_verbs_zh() -> tuple[str, ...]:
    """Words holding a speech verb's character that are not speech (知道)."""
    return tuple(sorted(set(_entries("not-verbs-zh.txt")), key=len, reverse=True))


@cache
def organisation_markers(language: str) -> frozenset[str]:
    """Words (English) or endings (Chinese) that mark a group or organisation."""
    return frozenset(_entries(f"organisations-{language}.txt"))


def is_organisation(name: str, zh: bool) -> bool:
    """Whether ``name`` reads as a group or an organisation rather than a person."""
    if zh and any("\u3400" <= c <= "\u9fff" for c in name):
        return any(name.endswith(marker) for marker in organisation_markers("zh"))
    words = name.split()
    markers = organisation_markers("en")
    return any(word in markers for word in words) or (len(words) == 1 and name.isupper() and len(name) >= 2)
