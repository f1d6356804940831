"""Render a digest as a self-contained HTML page (pure: no I/O).

Every string from the page goes through :func:`html.escape`; the only style and
script are the constants below, allowed by their SHA-256 in the
Content-Security-Policy, so nothing else can run or load, not even an inline
``style=`` attribute. The page needs no script: the one there applies Telegram's
theme colours when it is opened as a Mini App and tells Telegram it is ready.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import re
from dataclasses import dataclass

from bot.models import Digest, Quote
from bot.render import labels

READER_PATH = "/r/"

_STYLE = """
:root{--bg:#fdfcf9;--text:#1d1d1f;--hint:#6b6b70;--link:#0a58ca;--mark:#fff0a8;--quote:#e6f0ff;
--card:#f2f1ec;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#16171a;--text:#e9e9ec;--hint:#9a9aa2;--link:#7db3ff;
--mark:#5c4d0e;--quote:#1f3350;--card:#212226}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:17px/1.6 system-ui,-apple-system,"Segoe UI",
Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:42rem;margin:0 auto;padding:1rem 1.1rem 3rem}
h1{font-size:1.5rem;line-height:1.3;margin:.4rem 0 .3rem}
h2{font-size:1rem;margin:1.4rem 0 .4rem;color:var(--hint);text-transform:uppercase;letter-spacing:.04em}
a{color:var(--link)}
.meta{color:var(--hint);font-size:.9rem;margin:0 0 1rem;overflow-wrap:anywhere}
.points{background:var(--card);border-radius:.6rem;padding:.6rem .9rem .6rem 2rem;margin:0}
.points li{margin:.3rem 0}
.points a{color:inherit;text-decoration:none}
.keywords{display:flex;flex-wrap:wrap;gap:.4rem;padding:0;list-style:none;margin:.2rem 0 0}
.keywords li{background:var(--card);border-radius:1rem;padding:.1rem .7rem;font-size:.9rem}
article p{margin:0 0 1rem}
mark{background:var(--mark);color:inherit;border-radius:.2rem;padding:0 .1rem}
q{quotes:none;background:var(--quote);border-radius:.2rem}
.speaker{font-size:.8rem;color:var(--hint);font-style:italic;white-space:nowrap;margin-left:.25rem}
footer{margin-top:2rem;color:var(--hint);font-size:.85rem}
"""

_SCRIPT = """
(function(){
  var m=/tgWebAppThemeParams=([^&]*)/.exec(location.hash);
  if(m){try{var t=JSON.parse(decodeURIComponent(m[1]));
    var map={bg_color:"--bg",text_color:"--text",hint_color:"--hint",link_color:"--link",
      secondary_bg_color:"--card"};
    for(var k in map){if(/^#[0-9a-fA-F]{6}$/.test(t[k]||"")){
      document.documentElement.style.setProperty(map[k],t[k]);}}
  }catch(e){}}
  var ready=JSON.stringify({eventType:"web_app_ready",eventData:{}});
  if(window.TelegramWebviewProxy){window.TelegramWebviewProxy.postEvent("web_app_ready","{}");}
  else if(window.parent!==window){window.parent.postMessage(ready,"*");}
})();
"""


def _digest_of(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


# Telegram's web clients show Mini Apps in a frame; nobody else may frame the page.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; "
    f"style-src {_digest_of(_STYLE)}; "
    f"script-src {_digest_of(_SCRIPT)}; "
    "img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
)

_READER_LABELS = {
    "en": {"article": "Article", "source": "Source", "lang": "en"},
    "zh": {"article": "全文", "source": "来源", "lang": "zh"},
}


@dataclass(frozen=True, slots=True)
class ReaderPage:
    """The HTML of one reader page and the policy it must be served with."""

    html: str
    content_security_policy: str = CONTENT_SECURITY_POLICY


@dataclass(frozen=True, slots=True)
class _Span:
    """A stretch of the article text that is one point (``point``) or one quote (``quote``)."""

    start: int
    end: int
    point: int | None = None
    quote: int | None = None


def reader_address(public_url: str, token: str) -> str:
    """The public address of the reader page with ``token``."""
    return public_url.rstrip("/") + READER_PATH + token


def locate_points(text: str, points: list[str]) -> list[tuple[int, int] | None]:
    """Where each point stands in ``text`` (None when it is not there word for word).

    Points are sentences of the text, but whitespace inside one may differ from the
    text's (a line break joined by a space), so spaces match any run of whitespace.
    """
    found: list[tuple[int, int] | None] = []
    taken: list[tuple[int, int]] = []
    for point in points:
        words = point.split()
        where = None
        if words:
            pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
            for match in pattern.finditer(text):
                span = (match.start(), match.end())
                if not any(span[0] < end and start < span[1] for start, end in taken):
                    where = span
                    break
        found.append(where)
        if where is not None:
            taken.append(where)
    return found


def render_reader_page(digest: Digest, ui_language: str = "en") -> ReaderPage:
    """The whole article of ``digest`` with its points marked where they stand."""
    article, summary = digest.article, digest.summary
    words = labels(ui_language)
    mine = _READER_LABELS.get(ui_language, _READER_LABELS["en"])
    title = html.escape(article.title or words["untitled"])
    text = article.text
    # The headline often opens the text too; it is already the page's <h1>.
    headline = bool(article.title) and text.startswith(f"{article.title}\n")
    text_start = len(article.title or "") + 1 if headline else 0
    positions = locate_points(text, summary.points)
    spans = [_Span(s, e, point=i) for i, found in enumerate(positions) if found for s, e in [found]]
    spans += [
        _Span(*_with_marks(text, q.start, q.end), quote=i)
        for i, q in enumerate(summary.quotes)
        if 0 <= q.start < q.end <= len(text)
    ]
    body = _article_html(text, text_start, spans, summary.quotes, words["unknown_speaker"])
    points = "".join(
        f'<li><a href="#point-{i + 1}">{html.escape(point)}</a></li>'
        if positions[i]
        else f"<li>{html.escape(point)}</li>"
        for i, point in enumerate(summary.points)
    )
    meta = [words["reduced"].format(percent=digest.reduction_percent, minutes=digest.reading_minutes)]
    if article.url and article.url.startswith(("http://", "https://")):
        link = html.escape(article.url, quote=True)
        site = html.escape(article.site_name or article.url)
        meta.insert(0, f'{mine["source"]}: <a href="{link}" rel="noopener noreferrer nofollow">{site}</a>')
    elif article.site_name:
        meta.insert(0, html.escape(article.site_name))
    keywords = "".join(f"<li>{html.escape(k)}</li>" for k in summary.keywords)
    language = html.escape(summary.language.split("-")[0] or mine["lang"], quote=True)
    document = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">'
        # An empty icon inline: otherwise every browser asks the server for /favicon.ico.
        '<link rel="icon" href="data:,">'
        f"<title>{title}</title><style>{_STYLE}</style></head><body><main>"
        f'<h1>{title}</h1><p class="meta">{" · ".join(meta)}</p>'
        f'<h2>{words["points"]}</h2><ol class="points">{points}</ol>'
        + (f'<h2>{words["keywords"]}</h2><ul class="keywords">{keywords}</ul>' if keywords else "")
        + f"<h2>{mine['article']}</h2><article>{body}</article>"
        f"<footer>Keypoint</footer></main><script>{_SCRIPT}</script></body></html>"
    )
    return ReaderPage(document)


_QUOTE_MARKS = "\"'“”‘’「」『』«»„‚"


def _with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote's span widened to the quote marks around it, so its speaker follows them."""
    if start > 0 and text[start - 1] in _QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end] in _QUOTE_MARKS:
        end += 1
    return start, end


def _article_html(text: str, start: int, spans: list[_Span], quotes: list[Quote], unknown: str) -> str:
    """Paragraphs of ``text[start:]``; each stretch covered by a point is a ``<mark>``, each
    quote a ``<q>`` followed by its speaker. Overlaps are cut at every boundary, so the
    tags always nest: a piece of text inside a point and a quote is ``<mark><q>…</q></mark>``."""
    cuts = {start, len(text)}
    for span in spans:
        cuts.update((max(start, span.start), max(start, span.end)))
    cuts.update(i + 1 for i in range(start, len(text)) if text[i] == "\n")
    edges = sorted(cuts)
    quote_ends = {s.end: s.quote for s in spans if s.quote is not None}
    first_piece: set[int] = set()
    paragraphs: list[str] = []
    current: list[str] = []
    for left, right in itertools.pairwise(edges):
        piece = text[left:right]
        ends_paragraph = piece.endswith("\n")
        piece = piece.rstrip("\n")
        if piece:
            point = next((s.point for s in spans if s.point is not None and s.start <= left < s.end), None)
            quote = next((s.quote for s in spans if s.quote is not None and s.start <= left < s.end), None)
            shown = html.escape(piece)
            if quote is not None:
                shown = f'<q data-quote="{quote}">{shown}</q>'
            if point is not None:
                anchor = ""
                if point not in first_piece:
                    first_piece.add(point)
                    anchor = f' id="point-{point + 1}"'
                shown = f'<mark data-point="{point}"{anchor}>{shown}</mark>'
            current.append(shown)
        if right in quote_ends:
            said_by = quotes[quote_ends[right]].speaker
            name = html.escape(said_by) if said_by else unknown
            current.append(f'<span class="speaker">— {name}</span>')
        if ends_paragraph and current:
            paragraphs.append("<p>" + "".join(current) + "</p>")
            current = []
    if current:
        paragraphs.append("<p>" + "".join(current) + "</p>")
    return "".join(paragraphs)
