"""Language identification: script first, then function words."""

from __future__ import annotations

import pytest

from bot.language import count_reading_units, detect_language

SAMPLES = {
    "en": (
        "The committee agreed on Thursday that the bridge would be closed for repairs "
        "until the end of the summer."
    ),
    "de": (
        "Der Ausschuss hat am Donnerstag beschlossen, dass die Brücke bis zum Ende des Sommers gesperrt wird."
    ),
    "fr": "Le comité a décidé jeudi que le pont sera fermé pour des travaux jusqu'à la fin de l'été.",
    "es": "El comité decidió el jueves que el puente estará cerrado por obras hasta el final del verano.",
    "ru": "Комитет решил в четверг, что мост будет закрыт на ремонт до конца лета, как и было обещано.",
    "zh": "委员会周四决定，这座桥将关闭维修，直到夏季结束。",
    "ja": (
        "委員会は木曜日、橋を夏の終わりまで修理のために閉鎖することを決めました。"
        "これはとても大きなニュースです。"
    ),
}


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_detects_language(code: str) -> None:
    assert detect_language(SAMPLES[code]) == code


def test_traditional_chinese_and_mixed_text_are_chinese() -> None:
    assert detect_language("GPT-4 技術細節保密惹爭議，OpenAI 首席科學家回應了。") == "zh"


def test_page_hint_wins_when_plausible() -> None:
    assert detect_language(SAMPLES["en"], hint="en-GB") == "en"
    # A page that claims to be English but is Chinese is Chinese.
    assert detect_language(SAMPLES["zh"], hint="en") == "zh"


@pytest.mark.parametrize("text", ["", "   ", "12345", "!!! ???", "x"])
def test_no_language_falls_back_to_english(text: str) -> None:
    assert detect_language(text) == "en"


def test_reading_units_split_words_and_han() -> None:
    assert count_reading_units("GPT-4 模型 is here") == (4, 2)
