"""Long Chinese sentences become clauses for key points; nothing else is touched."""

from __future__ import annotations

import pytest

from bot.summarise import split_sentences, summarise
from bot.summarise.clauses import LONG_SENTENCE, split_clauses

# Sentences written for these tests, each over LONG_SENTENCE Han characters.
SURVEY_AND_MODEL = (
    "研究团队在三个沿海城市布设了两百多个水质监测点，连续记录了五年的温度和盐度数据，"
    "并建立了一个能够提前两周预测赤潮暴发时间的统计模型。"
)
PLAN_AND_COMMENT = (
    "市政府昨天公布了新的老旧小区改造计划，今年将投入十二亿元改造四百个小区，"
    "这是该市历史上规模最大的一次城市更新行动。"
)


def clause_texts(sentence: str) -> list[str]:
    return [unit.text for unit in split_clauses(split_sentences(sentence))[0]]


def test_a_comma_before_a_new_statement_is_a_cut() -> None:
    assert clause_texts(PLAN_AND_COMMENT) == [
        "市政府昨天公布了新的老旧小区改造计划，今年将投入十二亿元改造四百个小区。",
        "这是该市历史上规模最大的一次城市更新行动。",
    ]


def test_the_connective_tying_a_clause_to_the_one_before_goes() -> None:
    assert clause_texts(SURVEY_AND_MODEL) == [
        "研究团队在三个沿海城市布设了两百多个水质监测点，连续记录了五年的温度和盐度数据。",
        "建立了一个能够提前两周预测赤潮暴发时间的统计模型。",
    ]


def test_clauses_keep_offsets_into_the_text() -> None:
    text = "导语一句话。\n" + SURVEY_AND_MODEL
    units, origins = split_clauses(split_sentences(text))
    assert origins == [0, 1, 1]
    for unit in units[1:]:
        assert text[unit.start : unit.end].rstrip("，。") == unit.text.rstrip("。")


@pytest.mark.parametrize(
    "sentence",
    [
        # short: two lines on a phone stay whole
        "市政府公布了改造计划，这是该市规模最大的一次城市更新行动。",
        # contrast is one thought
        (
            "研究团队在三个沿海城市布设了两百多个水质监测点，连续记录了五年的温度和盐度数据，"
            "但是他们至今仍然无法解释赤潮为什么总在同一片海湾暴发。"
        ),
        # a clause that only introduces the next
        "调查报告的作者在发布会上反复强调指出，这座城市的早晚高峰拥堵时间已经比十年前延长了将近一个小时。",
        # a dependent clause waits for its main clause
        "由于私家车数量在短短几年内成倍增加而道路几乎没有拓宽，这座城市的早晚高峰拥堵时间比十年前延长了将近一个小时。",
        # inside a quotation
        (
            "他在发布会上对记者们说：“我们在三个沿海城市布设了两百多个监测点，这些数据会全部向公众开放，"
            "任何研究者都可以免费下载使用。”"
        ),
    ],
)
def test_these_stay_whole(sentence: str) -> None:
    assert clause_texts(sentence) == [sentence]


def test_a_clause_ending_in_hours_is_not_an_introduction() -> None:
    sentence = (
        "调查结果表明，这座城市的早晚高峰拥堵时间已经比十年前延长了将近一个小时，"
        "这主要是因为私家车数量在短短几年内成倍增加。"
    )
    assert clause_texts(sentence)[1] == "这主要是因为私家车数量在短短几年内成倍增加。"


def test_bing_fei_is_not_a_connective() -> None:
    sentence = (
        "这种新型电池的能量密度比现有产品高出百分之四十，而且充电时间缩短到十五分钟以内，"
        "并非只是实验室里的概念产品。"
    )
    assert clause_texts(sentence) == [
        "这种新型电池的能量密度比现有产品高出百分之四十。",
        "充电时间缩短到十五分钟以内，并非只是实验室里的概念产品。",
    ]


def test_english_is_never_cut() -> None:
    sentence = (
        "The council published its plan for the old estates yesterday, it will spend 1.2 billion on four "
        "hundred of them this year, and this is the largest renewal the city has ever attempted."
    )
    assert len(sentence) > LONG_SENTENCE
    assert summarise(sentence, language="en", points=1).points == [sentence]


def test_a_key_point_can_be_one_clause_of_a_long_sentence() -> None:
    sentences = [
        "赤潮预测有了新工具。",
        SURVEY_AND_MODEL,
        "这个统计模型在去年的三次赤潮中都提前十天以上发出了预警。",
        "当地渔民说，统计模型的预警让他们及时把网箱转移到了安全海域。",
        "海洋局表示，明年将在更多海湾推广这个预测模型。",
        "天气预报显示本周末沿海地区有大风。",
    ]
    text = "\n".join(sentences)
    clauses = set(clause_texts(SURVEY_AND_MODEL))
    points = summarise(text, language="zh", points=2).points
    assert len(points) == 2
    assert clauses & set(points), points
    assert SURVEY_AND_MODEL not in points


def test_neighbouring_clauses_chosen_together_are_one_point() -> None:
    points = summarise(PLAN_AND_COMMENT, language="zh", points=2).points
    # Both clauses are wanted: they come back as the sentence, plus nothing
    # else to add, rather than as two halves of it.
    assert points == [PLAN_AND_COMMENT]


def test_point_count_follows_sentences_not_clauses() -> None:
    others = [
        "沿海渔民今年的捕捞量比去年下降了一成。",
        "气象台预计下周将有一次明显的降温过程。",
        "新建的跨江大桥计划在明年五月通车。",
        "市图书馆周末将延长开放时间到晚上九点。",
        "本地中学生在全国机器人比赛中获得二等奖。",
        "农业部门提醒果农注意防范早春的霜冻。",
        "港口集装箱吞吐量连续三个月保持增长。",
        "老城区的供水管网改造工程已经完成过半。",
        "一家新能源车企在开发区投产了第二条生产线。",
        "博物馆推出了介绍海上丝绸之路的临时展览。",
        "医保部门公布了二十种常用药的新价格。",
        "山区小学的学生今年起可以吃上免费午餐。",
        "消防部门在商场开展了一次夜间疏散演练。",
        "湿地公园观测到的候鸟种类比去年多了十种。",
        "电力公司称今夏用电高峰可能提前到来。",
        "社区医院开始提供周末门诊服务。",
    ]
    text = "\n".join([PLAN_AND_COMMENT, SURVEY_AND_MODEL, *others])
    units, _ = split_clauses(split_sentences(text))
    assert (len(split_sentences(text)), len(units)) == (18, 20)
    # 18 sentences make 3 points; their 20 clauses would have made 4
    assert len(summarise(text, language="zh").points) == 3


def test_traditional_chinese_is_cut_the_same_way() -> None:
    sentence = (
        "研究團隊在三個沿海城市佈設了兩百多個水質監測點，連續記錄了五年的溫度和鹽度數據，"
        "並建立了一個能夠提前兩週預測赤潮爆發時間的統計模型。"
    )
    assert clause_texts(sentence) == [
        "研究團隊在三個沿海城市佈設了兩百多個水質監測點，連續記錄了五年的溫度和鹽度數據。",
        "建立了一個能夠提前兩週預測赤潮爆發時間的統計模型。",
    ]
