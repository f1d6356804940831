"""Quote finding and speaker attribution on texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.models import Quote
from bot.quotes import find_quotes, select_quotes


def speakers(text: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in find_quotes(text, language)]


# ------------------------------------------------------------ English patterns
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"The harbour will change for ever," Helen Marsh said.', "Helen Marsh"),
        ('"The harbour will change for ever," said Helen Marsh.', "Helen Marsh"),
        ("Helen Marsh said: “The harbour will change for ever.”", "Helen Marsh"),
        ("Helen Marsh told reporters on Tuesday: “The harbour will change for ever.”", "Helen Marsh"),
        ("“The harbour will change for ever,” according to Helen Marsh.", "Helen Marsh"),
        ("Helen Marsh: “The harbour will change for ever.”", "Helen Marsh"),
        ("“The harbour will change for ever.” — Helen Marsh", "Helen Marsh"),
        ("“The harbour will change for ever.”― Helen Marsh", "Helen Marsh"),
        ('"The harbour will change for ever," Mr. Marsh of the Harbour Trust said.', "Marsh"),
        (
            (
                "During the meeting on Tuesday, Republican councillor Helen Marsh stood up, saying, "
                "“The harbour will change for ever.”"
            ),
            "Helen Marsh",
        ),
        (
            "“The harbour will change for ever,” Helen Marsh, the council leader, said.",
            "Helen Marsh",
        ),
        (
            "“The harbour will change for ever,” said council leader Helen Marsh.",
            "Helen Marsh",
        ),
        ("Port Wenlow mayor Helen Marsh said “The harbour will change for ever.”", "Helen Marsh"),
        ("Sen. Helen Marsh said: “The harbour will change for ever.”", "Helen Marsh"),
        ("''The harbour will change for ever,'' Mrs. Marsh said.", "Marsh"),
        ("„Der Hafen wird sich für immer verändern“, sagte sie.", None),
        # Headline at the very start of the text.
        ("Marsh: ‘The Harbour Will Change For Ever.’\n\nShe spoke on Tuesday.", "Marsh"),
        # An apostrophe is not a closing quote mark.
        (
            (
                "Helen Marsh, head of Port Wenlow’s council, wrote to residents on Monday, telling them, "
                "“The harbour will change for ever.”"
            ),
            "Helen Marsh",
        ),
        # An adverb before the name is not the name.
        ("“The harbour will change for ever.” Reluctantly, Marsh said it was true.", "Marsh"),
        # A name never runs across a full stop into the next sentence.
        (
            (
                "The council backed Tom Baird.\n\nCouncil leader Helen Marsh wrote to residents, saying "
                "“The harbour will change for ever.”"
            ),
            "Helen Marsh",
        ),
        # An appositive with commas and a name of its own.
        (
            "Helen Marsh, editor of The Wenlow Gazette, "
            "a weekly paper, said: “The harbour will change for ever.”",
            "Helen Marsh",
        ),
        (
            (
                "Tom Baird, 61, of Wenlow, Cornwall, who has fished there for years, said "
                "“The harbour will change for ever.”"
            ),
            "Tom Baird",
        ),
        # A colon-introduced quote belongs to the clause's subject, whatever the verb.
        ("Helen Marsh leaned in and boomed: “The harbour will change for ever.”", "Helen Marsh"),
        # "…, said Name": the name after "said" speaks, not the one before the comma …
        (
            "“The harbour will change for ever” if the council backs Tom Baird, said Helen Marsh.",
            "Helen Marsh",
        ),
        # … but the name after "told" is spoken to.
        ("“The harbour will change for ever,” Helen Marsh, the mayor, told Channel Four.", "Helen Marsh"),
        # After a conjunction, only what follows a comma attributes the quote.
        (
            "Helen Marsh spoke on Tuesday, saying, “The harbour will change for ever,” "
            "but Tom Baird denied it.",
            "Helen Marsh",
        ),
        ("“The harbour will change for ever” and the town with it, Helen Marsh said.", "Helen Marsh"),
        # A comma inside the quote hands over to a name and a verb, whatever the verb.
        ("“The harbour will change for ever,” Marsh began.\n\nMore text.", "Marsh"),
        # A quote paragraph signed on the line below it.
        ("Intro.\n\n“The harbour will change for ever.”\n\n- Helen Marsh.\n\nMore text.", "Helen Marsh"),
        ("Intro.\n\n“The harbour will change for ever.”\n\n- and then the council went home.", None),
        # A shouted heading is not a speaker.
        ("PORT WENLOW VOTES YES: “The harbour will change for ever.”", None),
    ],
)
def test_english_attribution_patterns(text: str, speaker: str | None) -> None:
    quotes = find_quotes(text, "en")
    assert len(quotes) == 1
    assert quotes[0].speaker == speaker
    assert "harbour" in quotes[0].text.lower() or "hafen" in quotes[0].text.lower()


def test_pronoun_resolves_to_latest_named_person_and_surname_expands() -> None:
    text = (
        "Tom Baird, a fisherman, said the plan worried him.\n"
        '"Nobody has told us where we are supposed to go," he said.\n'
        "Helen Marsh said she disagreed.\n"
        '"Every boat will keep its mooring," she said.\n'
        '"We have promised that in writing," Baird said later.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Tom Baird", "Helen Marsh", "Tom Baird"]


def test_unresolvable_pronoun_gives_no_speaker() -> None:
    quotes = find_quotes('"We are ready for the storm season now," he said.')
    assert quotes[0].speaker is None


def test_split_quote_is_one_quote_with_the_middle_speaker() -> None:
    text = '"The tide is strong," Helen Marsh said, "and it never stops."'
    quotes = find_quotes(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("The tide is strong, and it never stops.", "Helen Marsh")
    ]


def test_multi_paragraph_quote_is_one_quote() -> None:
    text = (
        "Helen Marsh said:\n\n"
        "“The first turbine will arrive in spring.\n\n"
        "“The second will follow in the autumn, if the weather allows it.”\n\n"
        "The council meets again next week."
    )
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Helen Marsh"
    assert quotes[0].text.startswith("The first turbine")
    assert quotes[0].text.endswith("if the weather allows it.")
    assert "council meets" not in quotes[0].text


def test_continuation_paragraph_keeps_the_speaker() -> None:
    text = (
        '"We start digging in March," Helen Marsh said.\n'
        '"The work will take two years and cost less than we feared."\n'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Helen Marsh", "Helen Marsh"]


def test_unbalanced_mark_never_swallows_the_article() -> None:
    text = (
        "Helen Marsh said: “The vote was close but fair and we respect it.\n"
        "The council published its accounts on Friday and they were in order.\n"
        "Later she added “that is all for today"
    )
    quotes = find_quotes(text)
    assert quotes[0].speaker == "Helen Marsh"
    assert "accounts" not in quotes[0].text
    assert all("accounts" not in q.text for q in quotes)
    assert find_quotes("” stray closing mark “ and a stray opening one") is not None


def test_scare_quotes_titles_and_partial_quotes_are_not_statements() -> None:
    text = (
        "The plan was called a “green miracle” by supporters.\n"
        "She reviewed “The Tides of Port Wenlow” for the paper.\n"
        "Critics said it would “ruin the view for everybody who lives on the hill.”"
    )
    assert find_quotes(text) == []


def test_a_function_word_of_another_language_is_no_speaker() -> None:
    # "Quando" (Portuguese "when") opens the sentence before the colon; it is not a name.
    text = (
        "“Que história é essa de que uma criança deve ler sessenta palavras por minuto?”, diz a mãe. "
        "Quando questiona a escola, ela diz: “Que absurdo é este, professor Carlos?”"
    )
    assert "Quando" not in [q.speaker for q in find_quotes(text, "pt")]


# ------------------------------------------------------------ Chinese patterns
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("王建國表示：「這個項目明年就會完成，請大家放心。」", "王建國"),
        ("王建國說：「這個項目明年就會完成。」", "王建國"),
        ("王建國指出，「這個項目明年就會完成。」", "王建國"),
        ("「這個項目明年就會完成，請大家放心。」王建國表示。", "王建國"),
        ("李明 說道:「這個項目明年就會完成。」", "李明"),
        ("张小红强调：“这个项目明年就会完成。”", "张小红"),
        ("港務局局長陳志強回應稱：「這個項目明年就會完成。」", "陳志強"),
        ("記者問到工期時，Helen Marsh 回答：「這個項目明年就會完成。」", "Helen Marsh"),
        # A two-character name followed by an adverb is not a three-character name.
        ("海伦大声说：“这个项目明年就会完成。”海伦大声说完就走了。", "海伦"),
        ("海伦赶紧说：“这个项目明年就会完成。”海伦赶紧又补充了一句。", "海伦"),
        # A subjectless "就说：" line: the speaker is the last sentence's subject.
        ("王建國想了一下，覺得還應該再說清楚。\n就說：\n「這個項目明年就會完成。」\n李明點點頭。", "王建國"),
    ],
)
def test_chinese_attribution_patterns(text: str, speaker: str) -> None:
    quotes = find_quotes(text, "zh")
    assert len(quotes) == 1
    assert quotes[0].speaker == speaker
    assert "項目" in quotes[0].text or "项目" in quotes[0].text


def test_chinese_pronoun_and_surname_expansion_in_mixed_text() -> None:
    text = (
        "港務局顧問 Helen Marsh 週二出席了說明會。\n\n"
        "「潮汐發電站不會影響漁民的生計，」她說。\n\n"
        "Marsh 又補充：「第一台渦輪機將在春天運到。」"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["Helen Marsh", "Helen Marsh"]


def test_chinese_colon_paragraph_introduces_the_next_quote_paragraphs() -> None:
    text = (
        "王建國在會上回應了質疑：\n\n"
        "「我們已經做了三年的研究，所有的潮汐數據和環境評估報告都已經在港務局網站上公開，歡迎任何人查閱。」\n\n"
        "「安全永遠放在第一位，這一點不會改變。工程開始以後，我們每個月都會請獨立的專家來檢查一次。」"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國", "王建國"]


def test_fiction_dialogue_lines_alternate_between_two_people() -> None:
    text = (
        "秋菊把信放在桌上，建軍走了過來。\n"
        "建軍看了她一眼，問：\n"
        "“誰寄來的？”\n"
        "“城裡的表姐。”\n"
        "“她說什麼了？”\n"
        "“讓我們過年去城裡。”\n"
        "秋菊說。"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["建軍", "秋菊", "建軍", "秋菊"]


def test_chinese_titles_and_scare_quotes_are_not_statements() -> None:
    text = "他讀完了《潮汐與城鎮》，認為這是一種「小亂」，而不是「歷史上最大的改變」。"
    assert find_quotes(text, "zh") == []


def test_chinese_unclosed_mark_stops_at_paragraph_end() -> None:
    text = "王建國表示：「工程會按時完成。\n\n港務局週五公布了賬目，一切正常。"
    quotes = find_quotes(text, "zh")
    assert [(q.text, q.speaker) for q in quotes] == [("工程會按時完成。", "王建國")]


def test_fiction_dialogue_names_without_a_name_list() -> None:
    # Given names without a family name are recognised from repetition and
    # from standing before a speech verb.
    text = (
        "秋菊提著籃子走進院子，建軍正坐在門口。\n"
        "秋菊看見他在門口，就問：\n"
        "“你今天怎麼回來得這麼早？”\n"
        "“活幹完了。”\n"
        "建軍笑著說。"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["秋菊", "建軍"]


def test_given_name_of_a_speaking_full_name_is_a_person_even_seen_once() -> None:
    from bot.quotes.chinese import ChineseText

    # 田曉霞 speaks, so 曉霞 alone (a given name without a family name) is her.
    doc = ChineseText("田曉霞說：“我要走了。”王建國問：“你明天就走？”\n曉霞低下了頭。")
    assert doc.name_at("曉霞低下了頭") == "曉霞"


def test_chinese_pronoun_object_in_an_earlier_clause_is_not_the_speaker() -> None:
    # 她 is what he looks at; the clause that opens with 他 holds the subject.
    text = (
        "王建國推開門，看見秋菊坐在窗前。秋菊沒有抬頭。\n"
        "他放下背包，慢慢轉過身，認真地看著她，問：\n"
        "“你等了很久嗎？”"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國"]


def test_chinese_pronoun_continues_the_subject_not_a_later_object() -> None:
    # 李明 is mentioned last, but as the one looked at; 他 continues 王建國.
    text = "李明坐在窗前看報紙。\n王建國推門進來，看了看李明。\n他放下包，說：\n“這份報告明天就要交。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國"]


def test_chinese_pronoun_prefers_a_titled_subject_to_an_earlier_speaker() -> None:
    # 張德明 opens his clause behind a title; he, not the earlier speaker, says the second quote.
    text = (
        "港務局局長王建國表示：“新碼頭明年啟用。”\n退休教師張德明認為，工期太緊。他說：“安全必須放在第一位。”"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國", "張德明"]


def test_chinese_pronoun_and_dialogue_partner_skip_bare_kinship_words() -> None:
    # 老漢 and 兒子 stand for people but are not names: 他 is 王建國, and the
    # answer to 王建國's question is 李明's, not the son's.
    pronoun = "王建國推著車子進了院子。老漢還沒看見他。老漢正在澆花。他放下車子，叫道：“大叔，您忙著哩！”"
    assert [q.speaker for q in find_quotes(pronoun, "zh")] == ["王建國"]
    partner = (
        "李明坐在門口。王建國走了過來，兒子跟在後面。兒子手裡拿著書。\n王建國問：\n“吃飯了嗎？”\n“還沒有。”"
    )
    assert [q.speaker for q in find_quotes(partner, "zh")] == ["王建國", "李明"]


def test_chinese_pronoun_before_any_name_takes_the_first_person_named_after() -> None:
    # An excerpt that begins mid-scene: 他 is only named a line later.
    text = "他放下書，慢慢地說：“明天我們去城裡。”\n王建國站起來，走出了門。王建國沒有回頭。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國"]


def test_chinese_she_falls_back_to_a_name_without_a_female_character() -> None:
    # Female characters in names are only a hint: 陳思遠 is the woman here.
    text = "陳思遠是這個實驗室的負責人。她放下手裡的樣品，笑著說：“這個項目我們做了整整三年。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["陳思遠"]


def test_chinese_address_words_tell_a_persons_sex() -> None:
    # 曉東 has no female character; 曉東姐 shows 她 can be her.
    text = "林曉東在院子裡晾衣服，王建國走了進來。曉東姐看見了他。她擦了擦手，說：“你怎麼這麼早就回來了？”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["林曉東"]


def test_chinese_unnamed_speaker_is_not_taken_from_the_previous_quote() -> None:
    # 孫某 (name withheld) is a whole name; 美國學生 is a speaker without a name,
    # so the quote after 美國學生道 is not 孫某's.
    text = (
        "孫某在碼頭等船。一個美國學生走過來，對孫某說道：「船今天不開了。」"
        "孫某驚問道：「為什麼？」美國學生道：「風太大了，港口已經關閉。」"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == [None, "孫某", None]


def test_chinese_modifier_before_de_is_not_the_speaker() -> None:
    # 妻子 and 關係 describe the man (…的31歲男子); neither is the speaker.
    text = "一位兩年未和妻子發生爭吵、關係很好的31歲男子在接受採訪時說：「我們更像是室友，不像夫妻。」"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]


def test_chinese_compound_speech_verb_is_not_split_into_the_name() -> None:
    # 追问 and 盘问道 are one verb each: 追 and 盘 do not end the names.
    text = "“钱呢？”亮亮追问。\n小丽没有回答。\n“钱到底在哪里？”亮亮追问。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["亮亮", "亮亮"]
    text = "宏伟盘问道：“你昨晚去了哪里？”\n宏伟盘问道：“和谁一起？”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["宏伟", "宏伟"]


def test_chinese_common_words_led_by_a_family_name_character_are_not_names() -> None:
    # 毛巾, 温暖, 关心 open clauses like a subject and begin with a family-name
    # character, but they are a towel, warmth and caring: the speaker is 他's referent.
    cases = {
        "毛巾挂在墙上，毛巾已经干了。他拿起来，说：“今天真热。”": None,
        "王建国站在门口。温暖的阳光照着院子，温暖的风吹过来。他笑着说：“春天来了。”": "王建国",
        "关心孩子的人很多，关心老人的人很少。他叹了口气，说：“这样不行。”": None,
    }
    for text, speaker in cases.items():
        assert [q.speaker for q in find_quotes(text, "zh")] == [speaker]
    # 白衬 is the start of the listed 白衬衫, not a name either.
    text = "李明看着白衬衫。白衬衫已经洗得发黄了。他说：“明天再买一件。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["李明"]


def test_chinese_party_bodies_and_titles_are_not_names() -> None:
    # 县委 is a body, 县委书 the start of 县委书记: the titled person speaks.
    text = "县委书记王建国到了。县委书记王建国坐了下来。\n“先吃饭，再开会。”\n县委书记王建国开玩笑说。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建国"]
    text = "县委领导来了。县委领导坐在前排。\n“大家辛苦了！”\n县委领导李明笑着说。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["李明"]
    # 他 is not 县委, which only opens clauses.
    text = "县委决定修路。县委派人来了。他对大家说：“明天开工。”\n李明点了点头。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["李明"]


def test_chinese_title_after_part_of_a_body_name_introduces_the_speaker() -> None:
    # 东阳市 is named twice, but in 东阳市委书记陈思远 the title (委书记 ends in
    # 书记) introduces the person who speaks.
    text = "东阳市昨天召开大会。“今年要把道路修好。”东阳市委书记陈思远指出，工作必须落实。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["陈思远"]


def test_chinese_places_are_not_names() -> None:
    # 黄岗 comes before 地区 and 石门 is where 李明 goes back to: places, so
    # 他 is no one here in the first text and 李明 in the second.
    text = "黄岗地区下了三天雨。黄岗的路都冲坏了。他叹了口气，说：“得赶快修路。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]
    text = "李明要回石门去。石门的路不好走，石门的冬天很冷。他说：“我明天就走。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["李明"]


def test_chinese_name_stops_before_a_verb_with_an_aspect_particle() -> None:
    # 接着, 转而: 接 and 转 are verbs, not the end of the names 王海, 刘强;
    # 着急 is a word of its own, so it does not cut 刘强着 short.
    assert [q.speaker for q in find_quotes("王海接着说：“我们明天再来。”", "zh")] == ["王海"]
    text = "“先别急。”\n刘强转而对大家说：“我们明天再来。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["刘强", "刘强"]


def test_chinese_place_names_before_a_unit_or_ending_in_one_are_not_names() -> None:
    # 高阳宾 is 高阳 + 宾馆 and 东阳市 a city: no one speaks in either text.
    text = "李明在高阳宾馆门口等人。“高阳宾馆离车站远吗？”\n高阳宾馆的服务员笑着说。"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]
    text = "东阳市昨天下了大雨，东阳市的街道都淹了。“水太深了！”他说。"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]


def test_chinese_everyday_verbs_and_their_inner_characters_are_not_names() -> None:
    from bot.quotes.chinese import ChineseText

    # 忘记 opens clauses without a subject; it is not the speaker.
    text = "忘记了时间，忘记了饥饿。他站起来说：“天黑了。”"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]
    # 白 ends 明白 here, so 白神 is no person mentioned.
    assert ChineseText("我们都想明白神的旨意，也都明白神的慈爱。").mentions() == []


def test_chinese_leader_word_that_begins_a_common_word_is_not_stripped() -> None:
    from bot.quotes.chinese import ChineseText

    # 也 starts 也许 (perhaps) here, so 许足够 is no name after the leader 也.
    doc = ChineseText("那点时间，也许足够我们回家。剩下的钱，也许足够我们吃饭。")
    assert doc.mentions() == []
    assert doc.clause_subjects == []


# ------------------------------------------------------------ selection
def test_select_one_per_speaker_longest_first_and_not_in_points() -> None:
    quotes = [
        Quote("Short one here now", "A", 0, 1),
        Quote("A much longer and more informative statement by A", "A", 2, 3),
        Quote("A long statement by B about the harbour works", "B", 4, 5),
        Quote("A statement repeated in a key point word for word", "C", 6, 7),
    ]
    points = ["He said: A statement repeated in a key point word for word."]
    chosen = [q.text for q in select_quotes(quotes, points, 2) if q.selected]
    assert chosen == [quotes[1].text, quotes[2].text]


# ------------------------------------------------------------ seed article
def test_seed_article_speakers(shared: Path) -> None:
    from bot.repair import fix_text

    text = fix_text((shared / "samples" / "seed-article.txt").read_text(encoding="utf-8"))
    quotes = find_quotes(text, "zh")
    by_speaker: dict[str | None, list[str]] = {}
    for quote in quotes:
        by_speaker.setdefault(quote.speaker, []).append(quote.text)
    assert {"Ilya Sutskever", "Ben Schmidt", "William Falcon", "馬斯克"} <= set(by_speaker)
    assert not {"他", "她", "他們", "he", "she"} & set(by_speaker)
    assert any(t.startswith("坦率地說") for t in by_speaker["Ilya Sutskever"])
    assert any(t.startswith("如果有更多人") for t in by_speaker["Ilya Sutskever"])
    assert any(t.startswith("作為一家公司") for t in by_speaker["William Falcon"])
    assert any(t.startswith("我不懂") for t in by_speaker["馬斯克"])
    assert any(t.startswith("眾所周知") for t in by_speaker["Ben Schmidt"])


def test_select_prefers_named_informative_quotes_and_skips_paraphrased_points() -> None:
    quotes = [
        Quote("Yes, we will build it and it will work for all of us here", "Helen Marsh", 0, 1),
        Quote("The turbines will sit on the seabed where the tide runs fastest", None, 2, 3),
        Quote("We have waited twenty years for a project that pays the town back", "Tom Baird", 4, 5),
        Quote("The council voted on Tuesday to build a tidal power station", "Helen Marsh", 6, 7),
    ]
    points = ["The council of Port Wenlow voted on Tuesday to build a tidal power station."]
    chosen = [q for q in select_quotes(quotes, points, 2) if q.selected]
    assert [q.speaker for q in chosen] == ["Helen Marsh", "Tom Baird"]  # document order
    assert chosen[0].text.startswith("Yes")
    assert select_quotes(quotes, points, 0) == quotes
    short = [Quote("Yes", "Ann Lee", 0, 1), Quote("The tide is the cheapest power we have", None, 2, 3)]
    assert [q.selected for q in select_quotes(short, [], 1)] == [False, True]


def test_select_chinese_quote_repeating_a_point_is_skipped() -> None:
    quotes = [
        Quote("工程會在明年春天完成，港口不會關閉。", "王建國", 0, 1),
        Quote("我們每個月都會請獨立專家檢查一次。", "王建國", 2, 3),
    ]
    points = ["港務局表示，工程會在明年春天完成，港口不會關閉。"]
    chosen = [q.text for q in select_quotes(quotes, points, 3) if q.selected]
    assert chosen == ["我們每個月都會請獨立專家檢查一次。"]


def test_bare_dialogue_line_takes_the_nearest_person_in_the_narration() -> None:
    text = "天黑了，院子裡只剩下王秀英一個人，王秀英坐在門檻上。\n“明天還會下雨嗎？”\n風吹得門吱吱響。"
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王秀英"]


def test_bare_quote_far_from_any_name_stays_unattributed() -> None:
    before = (
        "王建國上週來過港口。潮水每天漲落兩次，漁船清晨出海，傍晚才回來。岸邊新修了一條步道，"
        "夏天有很多遊客。碼頭東側的舊倉庫已經改成了市場，週末賣海鮮和蔬菜。山坡上的燈塔建於"
        "一百多年前，去年剛剛修好，晚上又亮了起來。鎮上的小學今年多招了兩個班，孩子們每天"
        "沿著海堤走路上學，放學後在沙灘上撿貝殼。"
    )
    text = f"{before}\n「這裡的變化太大了，真是想不到。」\n天色漸漸暗下來，海面上起了一層薄霧。"
    assert [q.speaker for q in find_quotes(text, "zh")] == [None]


def test_split_quote_of_two_sentences_keeps_the_sentence_break() -> None:
    text = '"We waited for years," said Tom Reed. "Now the work can start."'
    assert [(q.text, q.speaker) for q in find_quotes(text)] == [
        ("We waited for years. Now the work can start.", "Tom Reed")
    ]


def test_they_resolves_to_the_latest_organisation_not_a_person() -> None:
    text = (
        '"We will appeal," the Harbour Council said on Monday. '
        "Anna Berg, a fisher, disagreed with the plan. "
        '"The ruling changes nothing for the harbour," they said.'
    )
    quotes = find_quotes(text)
    assert [q.speaker for q in quotes] == ["Harbour Council", "Harbour Council"]


def test_they_without_an_organisation_stays_unattributed() -> None:
    text = 'Anna Berg and Tom Reed met the mayor. "We were not consulted about any of it," they said.'
    assert [q.speaker for q in find_quotes(text)] == [None]


def test_chinese_tamen_resolves_to_an_organisation() -> None:
    text = (
        "山城交通局周一表示：「新線路將在明年年底之前開通。」"
        "居民對此反應不一。「我們會根據試運行的結果調整班次。」他們說。"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["山城交通局", "山城交通局"]


def test_chinese_organisations_and_titled_names_speak() -> None:
    cases = {
        "警方稱：「目前已經抓獲兩名犯罪嫌疑人。」": "警方",
        "外交部發言人表示：「中方對此堅決反對，並將採取必要措施。」": "外交部發言人",
        "市交通局局長王建國在開通儀式上表示：“無人駕駛不是為了取代司機。”": "王建國",
    }
    for text, speaker in cases.items():
        assert [q.speaker for q in find_quotes(text, "zh")] == [speaker], text


def test_a_place_after_a_preposition_is_not_a_speaker() -> None:
    assert [q.speaker for q in find_quotes("他在大學表示：「這件事情我們還要再研究一下。」", "zh")] != [
        "大學"
    ]


def test_straight_quotes_in_chinese_pair_without_spaces() -> None:
    text = (
        '没有国权就没有人权;"一国两制"的构想是以正确区分主权为基础的。'
        '研究"外部性"问题。他说"我们明天就出发，不再等了。"然后走了。'
    )
    quotes = find_quotes(text, "zh")
    assert [q.text for q in quotes] == ["我们明天就出发，不再等了。"]


def test_chinese_surname_with_title_expands_to_the_full_name() -> None:
    text = (
        "市交通局局長王建國在開通儀式上表示：「無人駕駛不是為了取代司機。」"
        "記者隨後追問運營成本。王局長說：「成本會在三年內降下來。」"
    )
    assert [q.speaker for q in find_quotes(text, "zh")] == ["王建國", "王建國"]


def test_a_title_with_two_candidates_is_not_guessed() -> None:
    text = (
        "局長王建國表示：「新線路明年開通。」副局長王小明表示：「票價不會上漲。」"
        "王局長說：「我們會公開所有數據。」"
    )
    assert find_quotes(text, "zh")[-1].speaker == "王局長"


def test_a_chinese_role_word_before_a_full_name_introduces_the_speaker() -> None:
    text = (
        "港务局昨天在码头召开潮汐电站说明会。\n"
        "渔民李大海问：“我们的渔场怎么办？”\n"
        "市民张建华表示：“我支持建电站，但希望听听渔民的意见。”\n"
        "广汽有关高层表示：“我们会继续关注这个项目。”\n"
    )
    found = dict(speakers(text, "zh"))
    assert found["我们的渔场怎么办？"] == "李大海"
    assert found["我支持建电站，但希望听听渔民的意见。"] == "张建华"
    assert found["我们会继续关注这个项目。"] != "关高层"  # 有关 is one word, not a role before 关高层


def test_a_name_running_into_an_adverb_is_not_cut_into_a_role_and_a_name() -> None:
    text = (
        "周建宗家里的人看女儿这样坚决，也就不再反对这门亲事了。\n"
        "周建宗甚至说：\n"
        "“不怕！日子总会好起来的，我们帮你们！”\n"
    )
    assert [s for _q, s in speakers(text, "zh")] == ["周建宗"]  # not 宗甚至 after a "role" 周建


def test_quotes_past_the_bound_on_spans_are_not_examined() -> None:
    from bot.quotes.find import MAX_QUOTE_SPANS

    text = "“我们会赢。”李明说。" * (MAX_QUOTE_SPANS + 500)
    quotes = find_quotes(text, "zh")
    assert 0 < len(quotes) <= MAX_QUOTE_SPANS
    assert all(q.speaker == "李明" for q in quotes[:10])
    last_examined = MAX_QUOTE_SPANS * len("“我们会赢。”李明说。")
    assert all(q.end <= last_examined for q in quotes)
