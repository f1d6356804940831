"""HTML extraction: article text and metadata, second opinion, and pages that are not articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ftfy.badness import is_bad

from bot.errors import NotAnArticleError
from bot.extract import extract_html
from bot.extract.html import quality
from bot.extract.title import clean_title
from bot.repair import fix_and_explain

PARAGRAPHS = [
    "The harbour council of Port Wenlow voted on Tuesday to build a tidal power station "
    "in the harbour mouth.",
    "The scheme, estimated to cost forty-eight million pounds, will place eight turbines on the seabed.",
    "Engineers say the station could supply electricity to twelve thousand homes by the end of the decade.",
    "Fishermen have asked the council where their boats will moor while the work goes on next summer.",
]


def article_page(paragraphs: list[str], title: str = "Harbour town votes for tidal power") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    nav = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
    return (
        f"<html><head><title>{title}</title></head><body>{nav}"
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )


def test_article_text_and_title() -> None:
    article = extract_html(article_page(PARAGRAPHS * 2), url="https://example.org/story")
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[3] in article.text
    assert "Contact us" not in article.text
    assert article.title == "Harbour town votes for tidal power"


def test_gbk_bytes_decoded_before_extraction() -> None:
    zh = "港口市议会周二投票决定在港口入口建设潮汐发电站，预计可为一万两千户家庭供电。"
    html = article_page([zh] * 6, title="潮汐发电站").replace("<html>", '<html><meta charset="gbk">')
    article = extract_html(html.encode("gbk"))
    assert zh in article.text and "\ufffd" not in article.text


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        (
            "<html><head><title>Just a moment...</title></head><body><p>Checking your browser before"
            " accessing the site.</p></body></html>",
            "challenge page",
        ),
        (
            "<html><head><title>404 Not Found</title></head><body><h1>Page not found</h1>"
            "<p>The page you requested could not be found.</p></body></html>",
            "404 page",
        ),
        (
            "<html><head><title>Big story</title></head><body><article><p>The first line of the story is"
            " here.</p><p>Subscribe to continue reading. Already a subscriber? Sign in.</p></article>"
            "</body></html>",
            "paywall",
        ),
        (
            "<html><head><title>Members</title></head><body><article><p>Please log in to continue"
            " reading this post.</p></article></body></html>",
            "login wall",
        ),
        (
            "<html><head><title>News</title></head><body><div><p>We use cookies to improve your"
            " experience. Accept all cookies or manage your privacy settings.</p></div></body></html>",
            "cookie wall",
        ),
        ("<html><head><title>App</title></head><body><div id='root'></div></body></html>", "empty"),
    ],
)
def test_not_an_article(html: str, kind: str) -> None:
    with pytest.raises(NotAnArticleError, match=kind):
        extract_html(html)


def test_article_mentioning_cookies_and_login_is_still_an_article() -> None:
    paragraphs = [
        *PARAGRAPHS,
        "The council website, which asks visitors to accept cookies, crashed under the traffic.",
        "Residents who could not log in to read the plans queued at the town hall instead.",
    ]
    article = extract_html(article_page(paragraphs * 2))
    assert "accept cookies" in article.text


def test_quality_prefers_prose_over_link_lists() -> None:
    prose = "\n".join(PARAGRAPHS)
    menu = "\n".join(["Home News Sport Weather Business Culture Travel"] * 8)
    assert quality(prose) > quality(menu)


@pytest.mark.shared
def test_cwced_pages_come_out_without_mojibake(shared: Path) -> None:
    latin_pairs = re.compile(r"[\u00c0-\u00ff][\u0080-\u00ff]")
    bad = []
    for path in sorted((shared / "corpus/web-zh-cwced/original").glob("*.html")):
        try:
            text = extract_html(path.read_bytes()).text
        except NotAnArticleError:
            continue
        if "\ufffd" in text or len(latin_pairs.findall(text)) >= 3 or is_bad(text):
            bad.append(path.name)
    assert not bad


@pytest.mark.shared
def test_seed_article_repaired(shared: Path) -> None:
    text = fix_and_explain((shared / "samples/seed-article.txt").read_text("utf-8")).text
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)", text)  # pinyin
    assert not re.search(r"^\s*(圖片|图片)\s*$", text, re.MULTILINE)  # placeholders
    assert not re.search(r"</?\w+>|&nbsp;", text)  # tag remnants
    assert "午夜视频" not in text and "本站是提供" not in text and "條評論" not in text and "獻花" not in text
    assert "?" not in text  # every damaged mark recovered or removed
    for paragraph in text.split("\n"):
        for opening, closing in ("「」", "『』", "“”"):
            assert paragraph.count(opening) == paragraph.count(closing), paragraph
    assert "薩蒂亞·納德拉" in text and "。」Ben Schmidt" in text


def test_second_opinion_keeps_the_better_text() -> None:
    from bot.extract.html import _second_opinion

    page = article_page(PARAGRAPHS * 3)
    # a one-line extraction is replaced by the full article from the other extractors
    chosen = _second_opinion(page, None, "Harbour town votes for tidal power")
    assert PARAGRAPHS[2] in chosen
    # an extraction as good as the others' is kept as it is
    good = "\n".join(PARAGRAPHS)
    assert _second_opinion(article_page(PARAGRAPHS), None, good) == good


def test_extract_dispatches_on_content_type() -> None:
    from bot.errors import UnsupportedContentError
    from bot.extract import extract
    from bot.models import FetchedPage

    body = "标题\n\n今天下午，市政府宣布了新的公共交通计划。".encode("gbk")
    page = FetchedPage("https://e.org/a.txt", "https://e.org/a.txt", 200, "text/plain", body, "gbk")
    assert "公共交通计划" in extract(page).text
    with pytest.raises(UnsupportedContentError, match="unsupported content type"):
        extract(FetchedPage("u", "u", 200, "image/png", b"\x89PNG", None))


@pytest.mark.parametrize(
    ("title", "site_name", "url", "expected"),
    [
        ("Best tech gadgets of 2019 | ZDNet", "ZDNet", None, "Best tech gadgets of 2019"),
        ("Tide vote passes – Harbour Post", None, "https://www.harbourpost.co.uk/a/1", "Tide vote passes"),
        ("Harbour Post | Tide vote passes", "Harbour Post", None, "Tide vote passes"),
        (
            "Wenlow Daily | Coast news: Tide vote passes",
            "Wenlow Daily | Coast news",
            None,
            "Tide vote passes",
        ),
        # A dash inside the headline, or a name that is not the site's, stays.
        ("Star Wars - the review", "Film Weekly", None, "Star Wars - the review"),
        ("X-Men returns - again", None, "https://example.org/x", "X-Men returns - again"),
        ("Harbour Post", "Harbour Post", None, "Harbour Post"),
        # Chinese portals: "_channel_site网" goes; a model name's hyphen is no separator.
        ("港口通过潮汐电站计划_地方新闻_海港网", None, None, "港口通过潮汐电站计划"),
        ("GPT-4发布--海港网", None, None, "GPT-4发布"),
        ("海港网", None, None, "海港网"),
    ],
)
def test_site_name_is_removed_from_the_title(
    title: str, site_name: str | None, url: str | None, expected: str
) -> None:
    assert clean_title(title, site_name, url) == expected


def test_extracted_title_drops_the_declared_site_name() -> None:
    html = (
        "<html><head><title>Tide vote passes | Harbour Post</title>"
        "<meta property='og:site_name' content='Harbour Post'></head><body><article>"
        + "".join(
            f"<p>The council voted on the tidal station for the {n} time this year, and the vote passed.</p>"
            for n in ("first", "second", "third", "fourth", "fifth")
        )
        + "</article></body></html>"
    )
    assert extract_html(html, url="https://harbourpost.example/tide").title == "Tide vote passes"
