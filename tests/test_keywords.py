"""Keywords: names and noun phrases, 5-8 of them, in English and Chinese."""

from __future__ import annotations

from itertools import pairwise

from bot.summarise import summarise
from bot.summarise.keywords import extract_keywords
from bot.summarise.terms import stem, terms

ENGLISH = """Port Wenlow council voted to build a tidal power station in the harbour mouth.
The tidal power station will have eight turbines, Helen Marsh said.
Helen Marsh, who leads Port Wenlow council, said the tidal power station would pay for a fish market.
Fishermen said the turbines would close fishing grounds; Tom Baird said nobody had asked them.
Tom Baird has fished from Port Wenlow for thirty years.
The fish market will open after the tidal power station, the council said.
Engineers will survey the seabed in March before the turbines are built."""

CHINESE = """港湾镇议会周二投票决定在港口入口修建潮汐发电站。
潮汐发电站将安装八台涡轮机，镇长马海伦表示项目将在二〇二九年完成。
马海伦说，潮汐发电站的收入将用于修建新的鱼市场。
渔民担心涡轮机会影响渔场，渔民代表白汤姆说没有人征求过他们的意见。
白汤姆在港湾镇捕鱼已经三十年。
工程师将在三月勘测海床，然后安装涡轮机。
新的鱼市场将在潮汐发电站建成后开放。"""


def test_english_keywords_are_names_and_phrases() -> None:
    keywords = extract_keywords(ENGLISH, "en", title="Port Wenlow votes for tidal power")
    assert 5 <= len(keywords) <= 8
    # Each of these occurs at least twice in the text written above.
    for expected in ("Port Wenlow", "Helen Marsh", "Tom Baird", "tidal power station"):
        assert expected in keywords
    # A part of a chosen phrase is not repeated on its own.
    assert "Wenlow" not in keywords and "tidal" not in keywords
    # Words that only say "said" or "the" never appear.
    assert not {"said", "the", "will"} & {k.lower() for k in keywords}


def test_chinese_keywords_are_repeated_phrases_not_fragments() -> None:
    keywords = extract_keywords(CHINESE, "zh")
    assert 5 <= len(keywords) <= 8
    for expected in ("潮汐发电站", "马海伦", "白汤姆", "涡轮机", "鱼市场"):
        assert expected in keywords
    # Sub-strings of a chosen phrase (潮汐, 发电站) are not listed again.
    assert "潮汐" not in keywords and "发电站" not in keywords
    # Nothing starts or ends with a particle.
    assert not any(k[0] in "的了是在" or k[-1] in "的了是在" for k in keywords)


def test_summary_carries_keywords() -> None:
    assert 5 <= len(summarise(ENGLISH, language="en").keywords) <= 8


def test_terms_use_stopwords_and_light_stemming_in_english() -> None:
    assert terms("The turbines were turning in the harbours", "en") == ["turbine", "turn", "harbour"]
    assert stem("companies") == "company" and stem("bus") == "bus"


def test_chinese_terms_are_character_bigrams_without_stop_bigrams() -> None:
    assert terms("潮汐发电", "zh") == ["潮汐", "汐发", "发电"]
    assert "我们" not in terms("我们修建了港口", "zh")


def test_book_length_text_is_sampled_across_its_whole_length() -> None:
    from bot.summarise.keywords import SAMPLE_CHARS, _sample

    text = "".join(f"第{i}段落的内容写在这里。" for i in range(60_000))
    sample = _sample(text)
    assert len(sample) <= SAMPLE_CHARS + 10
    assert text[:100] in sample and text[-(SAMPLE_CHARS // 8) :] in sample
    assert _sample("short text") == "short text"


def test_long_chinese_terms_are_not_cut_into_six_character_pieces() -> None:
    text = (
        "西藏自治区农业农村厅召开会议。会议由西藏自治区农业农村厅主持。"
        "记者从西藏自治区农业农村厅了解到，今年将改造卫生厕所四万座。"
        "西藏自治区农业农村厅表示，农牧区人居环境将继续改善。"
    )
    keywords = extract_keywords(text, "zh")
    assert not any(len(k) == 6 and k in "西藏自治区农业农村厅" for k in keywords), keywords


def test_numbers_are_never_keywords_but_model_names_are() -> None:
    text = (
        "Turbine output rose 6.0 percent to 4.75 gigawatts in the A320 upgrade.\n"
        "Output of 6.0 percent was expected; the A320 upgrade cost 4.75 million.\n"
        "涡轮机产量增长6.0%，达到4.75吉瓦。涡轮机产量的6.0%增长来自A320升级。"
    )
    keywords = extract_keywords(text, "en")
    assert any(k.startswith("A320") for k in keywords)
    assert not {"6.0", "4.75"} & set(keywords)


def test_keywords_keep_words_of_other_scripts_whole_and_skip_their_function_words() -> None:
    spanish = (
        "José Hernández presentó el plan del puerto de Valparaíso. "
        "Según José Hernández, el puerto de Valparaíso crecerá un tercio. "
        "El alcalde apoyó a José Hernández y al puerto de Valparaíso."
    )
    russian = (
        "Городской совет одобрил строительство моста. Строительство моста начнётся весной. "
        "Жители города ждали строительство моста десять лет."
    )
    spanish_keywords = extract_keywords(spanish, "es")
    assert "José Hernández" in spanish_keywords
    assert any("Valparaíso" in k for k in spanish_keywords)
    russian_keywords = extract_keywords(russian, "ru")
    assert "строительство моста" in russian_keywords
    # Single letters (the old ASCII-only tokenizer's output) and function words never appear.
    assert all(len(k) > 2 and k.split()[0] not in {"и", "в", "на", "что"} for k in russian_keywords)


def test_a_line_break_ends_a_keyword_phrase() -> None:
    # A headline line without a full stop must not run into the next line's name.
    text = (
        "Chelsea signed a keeper after their old keeper moved to Real Madrid\n"
        "Kepa Arrizabalaga will join Chelsea today.\n"
        "Kepa Arrizabalaga flew to London.\nChelsea paid a record fee for Kepa Arrizabalaga."
    )
    keywords = extract_keywords(text, "en")
    assert "Kepa Arrizabalaga" in keywords and "Real Madrid" in keywords
    assert not any("Madrid Kepa" in k for k in keywords)


def test_korean_keywords_lose_their_particles_and_function_words() -> None:
    text = (
        "김민수는 새 다리 건설을 발표했다. 김민수의 계획은 주민들의 지지를 받았다. "
        "주민들은 새 다리 건설을 환영했다. 김민수가 말한 새 다리 건설은 내년에 시작될 수 있다. "
        "SNS에서 새 다리 건설에 대한 관심이 높다. SNS에 올라온 사진이 화제가 됐다."
    )
    keywords = extract_keywords(text, "ko")
    assert "김민수" in keywords and "SNS" in keywords
    assert any(k.startswith("새 다리 건설") for k in keywords)
    assert not any(k.endswith(("의", "는", "가")) or k in {"수", "수 있다"} for k in keywords)


def test_chinese_pronouns_time_words_and_units_are_never_keywords() -> None:
    text = (
        "渔民们说，自己的船已经在港口停了三十年，自己的孩子也在这里长大。\n"
        "那时候潮汐电站还没有动工，渔民们觉得自己的生计不会受到影响。\n"
        "潮汐电站的投资达到二十万元，港务局说潮汐电站明年发电，投资还会增加十万元。\n"
        "到了冬天的时候，渔民们又说自己不知道潮汐电站会带来什么。\n"
    )
    keywords = extract_keywords(text, "zh")
    assert "潮汐电站" in keywords
    assert not {"自己", "时候", "万元"} & set(keywords)


def test_contractions_days_and_months_are_never_keywords_and_abbreviations_keep_their_dot() -> None:
    text = (
        "“It’s a good day,” said Helen Marsh on Monday. “It’s the tide.”\n"
        "The U.S. Navy tested the turbines in March. According to the U.S. Navy, the turbines work.\n"
        "“I’m sure,” said Helen Marsh on Monday. The U.S. Navy will report in March.\n"
        "According to engineers, the tidal turbines are quiet. “I’m glad,” Helen Marsh said.\n"
    )
    keywords = extract_keywords(text, "en")
    assert "Helen Marsh" in keywords
    assert "U.S. Navy" in keywords
    lowered = {k.lower() for k in keywords}
    assert not lowered & {"it’s", "i’m", "monday", "march", "according"}


def test_general_chinese_nouns_are_never_keywords_but_may_head_a_term() -> None:
    text = (
        "今年潮汐电站的发电量下降，原因是潮差变小，我们的城市也受到影响。\n"
        "工程师认为，原因在于海水与堤坝的相互作用，今年的观测也证实了这一点。\n"
        "港务局表示，相互作用的模型将在潮汐电站明年的改造中使用，我们的城市会继续观测。\n"
        "潮汐电站的工程师说，原因找到以后，相互作用可以通过新的堤坝设计减弱。\n"
    )
    keywords = extract_keywords(text, "zh")
    assert "潮汐电站" in keywords and "相互作用" in keywords
    assert not {"原因", "今年", "我们的城市"} & set(keywords)


def test_japanese_particles_and_endings_are_never_keywords() -> None:
    text = (
        "ロンドン市は新しいスタジアムの建設を発表した。\n"
        "スタジアムは二〇二八年に完成する予定だと市長は述べた。\n"
        "市長はスタジアムが観光客を呼び込むと述べた。\n"
        "ロンドン市の予算は限られていると議会は指摘した。\n"
    )
    keywords = extract_keywords(text, "ja")
    assert "スタジアム" in keywords
    hiragana = [k for k in keywords if all("\u3040" <= c <= "\u309f" for c in k)]
    assert hiragana == []


def test_a_repeated_phrase_longer_than_a_term_gives_no_overlapping_windows() -> None:
    # The whole project name (17 characters) repeats; cut to a fixed length it
    # used to come out as overlapping pieces of itself.
    project = "松花江下游右岸堤防加固河道疏浚工程"
    text = "".join(
        [
            f"省水利厅昨天公布了{project}的征地范围。",
            f"沿江三个县的居民将配合{project}的施工。",
            f"关于{project}的补偿标准另行通知。",
            f"{project}预计明年汛期之前完工。",
            "水利厅提醒居民注意施工期间的交通安全。",
        ]
    )
    keywords = extract_keywords(text, "zh")
    spans = sorted((project.index(k), project.index(k) + len(k)) for k in keywords if k in project)
    assert all(end <= start for (_, end), (start, _) in pairwise(spans)), keywords
    assert project in keywords


def test_words_that_end_or_start_with_a_particle_character_stay_whole() -> None:
    # 能, 会, 都, 对 and 和 usually end a phrase (才能去, 我们会, 对此…), but
    # they also end or start words: no 人工智 or 卫生委员 clipped from them.
    text = (
        "人工智能正在改变医疗行业。多家医院引入人工智能辅助诊断系统，对照组仍用传统方法。"
        "专家认为人工智能可以提高诊断效率。成都的一家医院率先使用人工智能。"
        "成都市卫生委员会表示将推广这一经验，对照组的数据也将公开。卫生委员会还要求医院加强数据安全，"
        "以建设和谐社会为目标的和谐社会工程也在推进。"
    )
    keywords = extract_keywords(text, "zh")
    for word in ("人工智能", "卫生委员会", "成都", "对照组"):
        assert word in keywords, keywords
    assert not any(k in {"人工智", "卫生委员", "照组", "谐社会"} for k in keywords), keywords
