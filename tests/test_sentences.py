"""Sentence splitting and unit kinds, English and Chinese (texts written for these tests)."""

from __future__ import annotations

import pytest

from bot.summarise import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


# --- English -----------------------------------------------------------------


def test_titles_and_months_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Brown met Dr. Lee on Jan. 12 in Leeds. J. R. Hartley wrote the report. It was long."
    assert texts(text) == [
        "Mr. Brown met Dr. Lee on Jan. 12 in Leeds.",
        "J. R. Hartley wrote the report.",
        "It was long.",
    ]


def test_country_abbreviation_ends_a_sentence_only_before_a_sentence_starter() -> None:
    text = "Sales in the U.S. Midwest fell sharply. The firm blamed the U.S. The weather was also bad."
    assert texts(text) == [
        "Sales in the U.S. Midwest fell sharply.",
        "The firm blamed the U.S.",
        "The weather was also bad.",
    ]


def test_decimals_urls_and_email_addresses_stay_whole() -> None:
    text = (
        "Prices rose 2.5% to $10.75 a share. See https://example.org/a.b?c=d. Questions go to "
        "press.office@example.co.uk before noon. Then it closed."
    )
    assert texts(text) == [
        "Prices rose 2.5% to $10.75 a share.",
        "See https://example.org/a.b?c=d.",
        "Questions go to press.office@example.co.uk before noon.",
        "Then it closed.",
    ]


def test_quotes_that_end_a_sentence_stay_with_their_attribution() -> None:
    text = (
        '"We will rebuild the bridge by spring," the mayor said. '
        '"Is the money there?" Ms. Rowe asked on Monday. '
        '"It is." The mayor then left the hall.'
    )
    assert texts(text) == [
        '"We will rebuild the bridge by spring," the mayor said.',
        '"Is the money there?" Ms. Rowe asked on Monday.',
        '"It is."',
        "The mayor then left the hall.",
    ]


def test_offsets_point_back_into_the_text() -> None:
    text = "First line here.\n\nSecond one is here.  Third one follows it."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_hard_wrapped_lines_are_joined_back() -> None:
    text = "The committee met on Tuesday and agreed\nthat the new library would open in May."
    assert texts(text) == ["The committee met on Tuesday and agreed that the new library would open in May."]


# --- Chinese -----------------------------------------------------------------


def test_chinese_ends_keep_their_closing_marks() -> None:
    text = "他走进教室。「大家早！」学生们站了起来。这是真的吗？是的……我们都知道；明天再说。"
    assert texts(text) == [
        "他走进教室。",
        "「大家早！」",
        "学生们站了起来。",
        "这是真的吗？",
        "是的……",
        "我们都知道；",
        "明天再说。",
    ]


def test_quote_followed_by_its_speaker_is_one_sentence() -> None:
    assert texts("“这是对的。”他说。后来大家都同意了。") == ["“这是对的。”他说。", "后来大家都同意了。"]
    assert texts("「我们明天出发。」王老师表示。") == ["「我们明天出发。」王老师表示。"]


def test_nothing_is_split_inside_book_titles_or_quotes() -> None:
    text = "她最喜欢《春天来了。夏天也来了》这本书。老人说：“我年轻时来过。那时候这里很安静。”"
    assert texts(text) == [
        "她最喜欢《春天来了。夏天也来了》这本书。",
        "老人说：“我年轻时来过。那时候这里很安静。”",
    ]


def test_ascii_full_stop_after_han_ends_a_sentence_but_not_a_decimal() -> None:
    text = "本文提出了一种新方法.实验表明,精度提高了3.5个百分点."
    assert texts(text) == ["本文提出了一种新方法.", "实验表明,精度提高了3.5个百分点."]


def test_mixed_chinese_and_english() -> None:
    text = "OpenAI 发布了 GPT-4。It was a surprise to many. 许多研究者感到失望。"
    assert texts(text) == ["OpenAI 发布了 GPT-4。", "It was a surprise to many.", "许多研究者感到失望。"]


def test_text_without_end_punctuation_falls_into_lines() -> None:
    text = "今天的会议取消了\n下周一再开会\n请大家互相转告"
    assert texts(text) == ["今天的会议取消了", "下周一再开会", "请大家互相转告"]


# --- unit kinds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Council votes for a new harbour wall", "heading"),
        ("By Helen Marsh and Tom Baird", "byline"),
        ("Photo: the old harbour wall at low tide", "caption"),
        ("Cover image: an artist's impression of the new harbour wall at night.", "caption"),
        ("图片", "caption"),
        ("2023-03-17 发布于江苏", "dateline"),
        ("March 17, 2023", "dateline"),
        ("• Parking charges", "list"),
        ("Home | News | Sport | Weather | Contact", "navigation"),
        ("午夜剧场,精品推荐,在线观看,免费下载,高清视频", "navigation"),
        ("Share this article", "navigation"),
        (
            "海港首页 - 新闻 - 体育 - 娱乐 - 财经 - 汽车 - 房产 - 短信 - 邮件 - 搜索 - 论坛 - 博客 - 旅游",
            "navigation",
        ),
        ("当前位置：首页->港口新闻->潮汐电站的建设计划公布，港口将在明年开工。", "navigation"),
        # A long Han line without a single punctuation mark is a heading or a run-together menu.
        ("首页组织机构工作动态纲要规划国际项目理论文摘为您服务文献资料下载", "heading"),
        # Disclaimers are furniture however long; so are lists of labelled links.
        (
            "本站所有文章均系站长从网上收集，为了尊重作者的劳动，文中会尽量给出作者姓名和引用地址。",
            "navigation",
        ),
        (
            "Copyright 2024 Port Wenlow Gazette, all rights reserved, "
            "and no part may be copied without permission.",
            "navigation",
        ),
        ("海港日报[新闻首页] 港口论坛[交流社区] 潮汐资料[数据下载] 更多链接。", "navigation"),
        (
            "The tide tables [1] and the survey [2] agree on the flow rate [3] at the harbour mouth.",
            "sentence",
        ),
        ("What would you do with the money?", "question"),
        ("The following people spoke at the meeting:", "fragment"),
        ("The council voted on Tuesday to rebuild the wall before winter.", "sentence"),
        ("市议会周二投票决定在冬天之前重建防波堤。", "sentence"),
    ],
)
def test_units_are_recognised(line: str, kind: str) -> None:
    text = f"{line}\n\nThe rest of the story follows here and runs on for a while."
    assert split_sentences(text)[0].kind == kind


def test_a_sentence_that_mentions_comments_is_still_a_sentence() -> None:
    units = split_sentences("Her comments did not impress the committee chairman at all.")
    assert [u.kind for u in units] == ["sentence"]


def test_other_scripts_split_at_their_capitals() -> None:
    russian = "Совет проголосовал в понедельник. Это большая новость. — Мы довольны, сказал мэр."
    german = "Der Rat hat am Montag abgestimmt. Über die Kosten wird noch gestritten."
    assert [s.text for s in split_sentences(russian)] == [
        "Совет проголосовал в понедельник.",
        "Это большая новость.",
        "— Мы довольны, сказал мэр.",
    ]
    assert [s.text for s in split_sentences(german)] == [
        "Der Rat hat am Montag abgestimmt.",
        "Über die Kosten wird noch gestritten.",
    ]


def test_scripts_without_capitals_split_too_and_their_sentences_are_ranked() -> None:
    korean = (
        "시의회는 월요일에 새 다리 건설을 승인했다. 공사는 내년 봄에 시작된다. "
        "주민들은 새 다리를 대체로 환영했다."
    )
    hebrew = "המועצה אישרה את התוכנית ביום שני. העבודות יתחילו באביב הבא."
    assert [s.text for s in split_sentences(korean)] == [
        "시의회는 월요일에 새 다리 건설을 승인했다.",
        "공사는 내년 봄에 시작된다.",
        "주민들은 새 다리를 대체로 환영했다.",
    ]
    assert len(split_sentences(hebrew)) == 2
    russian = "Городской совет одобрил строительство нового моста через реку."
    # Words of every script count, so a Russian sentence is not a "fragment".
    assert [s.kind for s in split_sentences(russian + " " + korean)] == ["sentence"] * 4


def test_a_pipe_left_from_a_menu_is_not_part_of_the_sentence() -> None:
    text = "| 即使是最好的计划，也可能在第一天遇到问题。 |\n｜The council met again on Tuesday to vote."
    units = split_sentences(text)
    assert [u.text for u in units] == [
        "即使是最好的计划，也可能在第一天遇到问题。",
        "The council met again on Tuesday to vote.",
    ]
    assert all(text[u.start : u.end] == u.text for u in units)


def test_section_labels_of_structured_abstracts_are_trimmed() -> None:
    text = (
        "目的 观察潮汐电站对港口水质的影响。方法 在港口设置十二个采样点。"
        "\nBACKGROUND: The harbour has silted up for decades."
    )
    assert [u.text for u in split_sentences(text)] == [
        "观察潮汐电站对港口水质的影响。",
        "在港口设置十二个采样点。",
        "The harbour has silted up for decades.",
    ]
    # Only a label followed by a colon (English) or a space (Chinese) is one.
    kept = "Results of the vote were close. 方法很多，但结果都不理想。"
    assert [u.text for u in split_sentences(kept)] == [
        "Results of the vote were close.",
        "方法很多，但结果都不理想。",
    ]


def test_a_long_chinese_programme_without_full_stops_is_cut_at_its_spaces() -> None:
    items = [
        "十二月十日代表注册地点：潮汐大学校内明珠园会议中心一楼大厅",
        "十二月十日晚院长联席会时间：七点至九点半地点：潮汐大学办公楼一楼会议室",
        "十二月十一日上午开幕式地点：潮汐大学伯苓楼一楼报告厅主持人：海港经济学院院长",
        "特邀嘉宾主题演讲：海港市人民政府市长演讲潮汐能源与城市发展的未来",
        "大会休息拍照留念之后举行宏观经济政策与金融改革论坛主持人：潮汐大学副校长",
        "十二月十一日下午专题讨论地点：经济学院第二教学楼按议题设十一个分会场",
        "十二月十一日晚欢迎晚宴地点：潮汐大学第二学生食堂之后举行讲座现代经济学的基本分析框架",
        "十二月十二日上午专题讨论下半场地点：经济学院第二教学楼按议题设十一个分会场继续讨论",
        "十二月十二日下午国有企业改革论坛地点：潮汐大学伯苓楼一楼报告厅主讲人：海港经济学院教授",
    ]
    line = " ".join(items)
    assert len(line) > 300
    units = [s.text for s in split_sentences(line)]
    assert len(units) >= 3
    assert all(len(u) <= 300 for u in units)
    assert "".join(units).replace(" ", "") == line.replace(" ", "")  # nothing lost


def test_a_long_english_sentence_stays_whole() -> None:
    sentence = (
        "The council, which had debated the tidal power station for more than three years and had "
        "commissioned four separate studies of the harbour mouth, the fishing grounds, the migrating "
        "birds and the likely effect on house prices in the old town, finally voted on Tuesday night "
        "to approve the project by seven votes to five after a meeting that lasted until midnight."
    )
    assert len(sentence) > 300
    assert [s.text for s in split_sentences(sentence)] == [sentence]
