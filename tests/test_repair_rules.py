"""Each repair rule: what it must change, and look-alike real text it must leave alone.

All inputs are written for these tests; damaged forms are produced from them
the way the damage happens (GBK bytes read one byte out of step).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.repair import fix_and_explain, fix_text
from bot.repair.damage import realign_shifted_gbk, restore_name_dots
from bot.repair.punctuation import balance_quote_marks, harmonise_punctuation, text_language
from bot.repair.rules import (
    _EMPTY_BRACKETS,
    drop_empty_brackets,
    drop_image_placeholders,
    drop_keyword_spam,
    drop_promo_lines,
    drop_widget_lines,
    fix_mojibake,
    remove_glued_pinyin,
    strip_markup_remnants,
)


def shift_damage(lost: str, following: str) -> str:
    """Damage as seen on content farms: ``lost`` becomes ``?`` and eats the next lead byte's top bit."""
    data = following.encode("gbk")
    out, index = ["?", chr(data[0] & 0x7F)], 1
    while index < len(data):
        if data[index] < 0x80:
            out.append(chr(data[index]))
            index += 1
            continue
        try:
            out.append(data[index : index + 2].decode("gb18030"))
        except UnicodeDecodeError:
            out.append("?")  # an invalid pair shows as one question mark
        index += 2
    return "".join(out)


def test_shift_damage_helper_reproduces_the_known_form() -> None:
    assert shift_damage("。", "」Bob") == "?!笲ob"


@pytest.mark.parametrize(
    "clean",
    ["」Bob Li 表示", "現在大家都知道", "「如果有更多人研究這些問題", "可以想像的是這將"],
)
def test_realign_recovers_shifted_text(clean: str) -> None:
    damaged = "他們說得很清楚" + shift_damage("。", clean)
    fixed = realign_shifted_gbk(damaged)
    assert fixed.startswith("他們說得很清楚。")
    # the recovered run reads as the original up to the first ASCII byte
    prefix = clean.split(" ")[0][:4]
    assert prefix in fixed


def test_realign_closes_a_lost_closing_mark_and_gives_the_tag_back() -> None:
    # 」 followed by "<": the out-of-step pair (B9 3C) became a second "?".
    assert realign_shifted_gbk("「我們用的是 Python?!?/span>") == "「我們用的是 Python。」</span>"


@pytest.mark.parametrize(
    "real",
    ["真的吗?!我不知道", "What?!Really now", "是吗?我不知道", "Is it?! 是的", "a?b", "价格?!「暂定」"],
)
def test_realign_leaves_real_question_marks(real: str) -> None:
    assert realign_shifted_gbk(real) == real


def test_name_dot_restored_between_transliterated_names() -> None:
    assert restore_name_dots("微軟 CEO 薩蒂亞?納德拉將登臺") == "微軟 CEO 薩蒂亞·納德拉將登臺"


@pytest.mark.parametrize("real", ["你今天来吗?我们等你", "是不是?大家都说是", "价格?多少"])
def test_name_dot_leaves_questions(real: str) -> None:
    assert restore_name_dots(real) == real


def test_glued_pinyin_removed() -> None:
    assert remove_glued_pinyin("技術(shù)發(fā)布") == "技術發布"
    assert remove_glued_pinyin("相同。」?dāng)被問及") == "相同。」被問及"


@pytest.mark.parametrize("real", ["人工智能(AI)", "去年(2023)", "他(ta)说", "注（注）", "英文(English)"])
def test_glued_pinyin_leaves_real_parentheses(real: str) -> None:
    assert remove_glued_pinyin(real) == real


def test_placeholders_and_image_credits_dropped() -> None:
    text = "第一段。\n圖片\n[image]\n图片来源：https://example.org/a.jpg\n第二段。"
    assert drop_image_placeholders(text) == "第一段。\n第二段。"


def test_placeholder_words_inside_sentences_stay() -> None:
    text = "他上傳了三張圖片到網站。\nThe image shows a bridge."
    assert drop_image_placeholders(text) == text


def test_markup_remnants() -> None:
    assert strip_markup_remnants("好的</span> 再見&nbsp;了") == "好的 再見\u00a0了"
    assert strip_markup_remnants("if a < b and c > d") == "if a < b and c > d"


def test_keyword_spam_line_dropped_but_lists_in_sentences_stay() -> None:
    spam = "便宜机票,特价酒店,旅游攻略,签证办理,自由行,跟团游,邮轮"
    real = "他买了苹果、香蕉、橙子、葡萄、西瓜和梨，然后回家了。"
    assert drop_keyword_spam(f"{spam}\n{real}") == real


def test_widget_lines_dropped() -> None:
    text = "正文第一句。\n轉藏 分享 獻花(0\n0條評論\n發表"
    assert drop_widget_lines(text) == "正文第一句。"


def test_widget_words_in_prose_stay() -> None:
    text = "他在微博上分享了这篇评论，引来很多讨论。"
    assert drop_widget_lines(text) == text


def test_ftfy_keeps_chinese_full_width_punctuation() -> None:
    assert fix_mojibake("你好，世界！（注）") == "你好，世界！（注）"
    assert fix_mojibake("cafÃ© crÃ¨me") == "café crème"


def test_balance_closes_open_marks_per_paragraph() -> None:
    assert balance_quote_marks("他說：「我們會回來。\n下一段。") == "他說：「我們會回來。」\n下一段。"
    assert balance_quote_marks("如果有更多人，」他說。") == "「如果有更多人，」他說。"


def test_balance_leaves_balanced_and_ascii_quotes() -> None:
    text = '他說：「好『的』」。\nHe said "yes" and left.'
    assert balance_quote_marks(text) == text


def test_punctuation_width_follows_language() -> None:
    assert harmonise_punctuation("爭議,OpenAI 回應:好的(見下)", "zh") == "爭議，OpenAI 回應：好的（見下）"
    assert harmonise_punctuation("It costs 3,000 dollars，really", "en") == "It costs 3,000 dollars,really"


def test_punctuation_width_leaves_numbers_urls_and_latin_in_chinese() -> None:
    text = "價格是3,000元，網址 https://example.org:8080/a 和 GPT-4:"
    assert harmonise_punctuation(text, "zh") == text


def test_text_language() -> None:
    assert text_language("今天天氣很好，我們去公園散步。") == "zh"
    assert text_language("The weather is nice today.") == "en"


def test_fix_and_explain_names_the_rules_that_fired() -> None:
    repaired = fix_and_explain("技術(shù)很好\n圖片\n結束。")
    assert repaired.text == "技術很好\n結束。"
    assert "remove_glued_pinyin" in repaired.applied and "drop_image_placeholders" in repaired.applied
    assert "fix_mojibake" not in repaired.applied


def test_clean_english_text_is_untouched() -> None:
    text = 'The council voted on Tuesday. "This is the biggest decision," said Helen Marsh.'
    assert fix_text(text) == text


def test_promo_lines_dropped() -> None:
    text = (
        "The bridge reopened on Monday.\n"
        "Read more: Why the bridge closed\n"
        "Subscribe now to our weekend edition for the full story.\n"
        "Follow The Courier on Twitter and Instagram\n"
        "If you enjoyed our roundup of bridge news, share it with a friend.\n"
        "Click here to get more information or download the timetable.\n"
        "Traffic returned to normal by noon."
    )
    assert drop_promo_lines(text) == "The bridge reopened on Monday.\nTraffic returned to normal by noon."


def test_promo_words_inside_sentences_stay() -> None:
    text = (
        "Readers who subscribe now pay less, the editor said.\n"
        "She said she would read more about it: the report is long.\n"
        "市民可以关注我们的报道，也可以直接联系记者。\n"
        "If you enjoyed the old bridge, the new one keeps its arches."
    )
    assert drop_promo_lines(text) == text


@pytest.mark.parametrize("real", ["What?!?", "Really?!? No way", "MÄ£ÄM ....?????????, JÄDÍ", "真的?!?"])
def test_realign_leaves_runs_of_question_marks(real: str) -> None:
    assert realign_shifted_gbk(real) == real


def test_balance_leaves_european_quote_styles() -> None:
    for text in ["„Handwerk bringt dich überall hin“: Von der Lehre", "S&P Confirms “B-“ Rating"]:
        assert balance_quote_marks(text) == text


@pytest.mark.parametrize("real", ["Why?,Fred asked", "x?,F", "see fig?,Fig 2"])
def test_realign_needs_chinese_before_a_lone_shifted_pair(real: str) -> None:
    assert realign_shifted_gbk(real) == real


def test_balance_accepts_ascii_quote_paired_with_a_curly_one() -> None:
    text = '利用俄罗斯"和平号”空间站进行了实验，他说“好"。'
    assert balance_quote_marks(text) == text


def test_empty_brackets_left_by_removed_links_go() -> None:
    from bot.repair.rules import drop_empty_brackets

    assert (
        drop_empty_brackets("（）江苏省委常委曹路宝强调要抓实工作。") == "江苏省委常委曹路宝强调要抓实工作。"
    )
    assert drop_empty_brackets("Photo: [] The council met.") == "Photo:  The council met."
    assert drop_empty_brackets("新华社（ ）电") == "新华社电"


def test_empty_brackets_after_a_word_are_real() -> None:
    from bot.repair.rules import drop_empty_brackets

    for real in ("Call f() to start.", "Use list[] in the type.", "x()() twice"):
        assert drop_empty_brackets(real) == real


@given(st.text(alphabet="（）()【】[] \u3000a1_字", max_size=60))
def test_empty_brackets_dropped_in_one_pass_as_the_pattern_would_repeatedly(text: str) -> None:
    # The rule's own pattern, applied until it finds nothing: the slow way the one pass replaces.
    expected = text
    while True:
        expected, removed = _EMPTY_BRACKETS.subn("", expected)
        if not removed:
            break
    assert drop_empty_brackets(text) == expected


def test_ten_thousand_brackets_closed_by_balancing_go_in_one_pass() -> None:
    text = "Title\n" + "（" * 10_000
    balanced = balance_quote_marks(text)
    assert balanced.count("）") == 10_000  # balancing closed every one, innermost last
    assert drop_empty_brackets(balanced) == "Title\n"
