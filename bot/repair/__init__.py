"""Repair damaged web text, explainably.

Modelled on ftfy: :func:`fix_text` returns the repaired text and
:func:`fix_and_explain` also says which named rules changed something. Each
rule is a small documented function in :mod:`bot.repair.rules`; the order
they run in is :data:`bot.repair.rules.RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeGuard

from bot.repair.rules import RULES, Rule
from bot.repair.script import convert_script

__all__ = ["RULES", "Repair", "convert_script", "fix_and_explain", "fix_text"]


@dataclass(frozen=True, slots=True)
class Repair:
    """Repaired text and the names of the rules that changed it, in order."""

    text: str
    applied: list[str] = field(default_factory=list)


def fix_and_explain(text: str, *, language: str | None = None, rules: tuple[Rule, ...] = RULES) -> Repair:
    """Run every rule over ``text``; report the ones that changed it.

    ``language`` (``en``, ``zh``…) steers the rules that depend on it (punctuation
    width); when None they judge the text themselves.
    """
    applied: list[str] = []
    for _round in range(_MAX_ROUNDS):
        before = text
        for rule in rules:
            fixed = rule(text, language) if _takes_language(rule) else rule(text)
            if fixed != text:
                if rule.__name__ not in applied:
                    applied.append(rule.__name__)
                text = fixed
        # Another round while a round changes something: a later rule can
        # expose work for an earlier one (stripping a no-break space shows
        # ftfy a pattern it decodes; a closing mark added by balancing
        # completes a shift-damage pattern). Then fix_text(fix_text(x)) ==
        # fix_text(x). Clean text, most of it, pays for one round only.
        if text == before:
            break
    return Repair(text=text, applied=applied)


_MAX_ROUNDS = 3


def _takes_language(rule: Rule) -> TypeGuard[Callable[[str, str | None], str]]:
    """Whether ``rule`` is marked ``uses_language`` (``harmonise_punctuation``): it takes the language too."""
    return bool(getattr(rule, "uses_language", False))


def fix_text(text: str, *, language: str | None = None) -> str:
    """``text`` with every repair rule applied."""
    return fix_and_explain(text, language=language).text
