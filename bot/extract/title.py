"""A page title without the site's name: "Best gadgets of 2019 | ZDNet" → "Best gadgets of 2019".

Pages put their own name before or after the headline, and the reply shows
the source separately, so the name is only noise in the reply's heading. A
segment is dropped only when it *is* the site: equal to the page's declared
site name or to its domain's name (``techcrunch.com`` → "TechCrunch"), once
letters are compared without case, spaces or punctuation. Headlines that
merely contain a dash stay whole.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# The separators sites put between headline and name; a hyphen only with spaces around it.
_SEPARATOR = re.compile(r"\s+[|\-–—·»:]{1,2}\s+|\s*[｜_|]\s*")
# Between the parts of a Chinese portal's title: 标题_频道_网站, 标题--网站, 标题-网站.
# A hyphen inside a Latin word or model name ("GPT-4") is not one.
_ZH_SEPARATOR = re.compile(r"\s*(?:_+|(?<![A-Za-z0-9])-{1,2}(?![A-Za-z0-9])|[|｜])\s*")
_ZH_SITE_ENDINGS = ("网", "網", "网站", "網站", "论坛", "論壇", "社区", "社區")
_ZH_CHANNEL_CHARS = 6
# Second-level labels that are not a site's name (example.co.uk, example.com.cn).
_GENERIC_LABELS = frozenset({"co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go"})


def clean_title(title: str | None, site_name: str | None = None, url: str | None = None) -> str | None:
    """``title`` with a leading or trailing site-name segment removed."""
    if not title:
        return title
    if site_name and len(site_name) < len(title):
        # A site name that holds a separator itself ("LinkNaija | Nigeria's news platform: …").
        if title.casefold().startswith(site_name.casefold()):
            rest = title[len(site_name) :]
            if re.match(r"\s*[:|｜\-–—·»_]", rest):
                title = rest.lstrip(" :|｜-–—·»_")
        elif title.casefold().endswith(site_name.casefold()):
            rest = title[: -len(site_name)]
            if re.search(r"[|｜\-–—·»_]\s*$", rest):
                title = rest.rstrip(" |｜-–—·»_")
    title = _drop_chinese_site_tail(title)
    names = {_letters(name) for name in (site_name, _domain_name(url)) if name}
    names.discard("")
    if not names:
        return title
    pieces = _SEPARATOR.split(title)
    separators = _SEPARATOR.findall(title)
    # Trailing names first ("Headline - Site"), then leading ones ("Site | Headline").
    while len(pieces) > 1 and _is_site(pieces[-1], names):
        pieces.pop()
        separators.pop()
    while len(pieces) > 1 and _is_site(pieces[0], names):
        pieces.pop(0)
        separators.pop(0)
    rebuilt = pieces[0]
    for separator, piece in zip(separators, pieces[1:], strict=True):
        rebuilt += separator + piece
    return rebuilt.strip() or title


def _drop_chinese_site_tail(title: str) -> str:
    """``拿出10万元投资房产_新浪房产_新浪网`` → ``拿出10万元投资房产``.

    Chinese portals end titles with "_channel_site网" and often declare no
    site name; a last segment ending in 网 (website), 论坛 or 社区 names the
    site, and the short segments before it name its channels.
    """
    separators = list(_ZH_SEPARATOR.finditer(title))
    pieces = _ZH_SEPARATOR.split(title)
    if len(pieces) < 2 or not pieces[-1].strip().endswith(_ZH_SITE_ENDINGS):
        return title
    keep = len(pieces) - 1
    while keep > 1 and len(pieces[keep - 1].strip()) <= _ZH_CHANNEL_CHARS:
        keep -= 1
    return title[: separators[keep - 1].start()].strip() or title


def _is_site(piece: str, names: set[str]) -> bool:
    letters = _letters(piece)
    return bool(letters) and any(letters == name or letters == name.removeprefix("www") for name in names)


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _domain_name(url: str | None) -> str | None:
    """``https://www.techcrunch.com/x`` → ``techcrunch``; ``news.bbc.co.uk`` → ``bbc``."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").split(".")
    while (
        len(host) >= 2 and (len(host[-1]) <= 3 or host[-1] in _GENERIC_LABELS) and host[-2] in _GENERIC_LABELS
    ):
        host = host[:-1]
    return host[-2] if len(host) >= 2 else None
