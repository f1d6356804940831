"""Plain dataclasses passed between pipeline stages.

Data flows one way: source → fetch → extract → repair → summarise → render.
Each stage takes the previous stage's dataclass and returns its own; none of
them knows about Telegram.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """Bytes of a page as the server sent them, plus what HTTP said about them."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    declared_charset: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """Main text and metadata of one article, before repair."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    language: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation: the words inside the marks and who said them."""

    text: str
    speaker: str | None
    start: int
    end: int
    selected: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """What the summariser made of an article's text."""

    language: str
    points: list[str]
    quotes: list[Quote]
    keywords: list[str]
    # Who speaks in each point that is a bare quotation ("「…」" with the
    # speaker in another sentence); None where the point names its source.
    point_speakers: list[str | None] = field(default_factory=list)

    def speaker_of_point(self, index: int) -> str | None:
        """The speaker to show after point ``index``, if it is a bare quotation."""
        return self.point_speakers[index] if index < len(self.point_speakers) else None


@dataclass(slots=True)
class Digest:
    """An article together with its summary: what the bot and the CLI show."""

    article: Article
    summary: Summary
    repairs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Where a text longer than the cap was cut (its first this many characters
    # were summarised); None when the whole text was.
    truncated_at: int | None = None

    @property
    def reduction_percent(self) -> int:
        """How much shorter the points are than the article, in percent."""
        total = len(self.article.text)
        if not total:
            return 0
        kept = sum(len(p) for p in self.summary.points)
        return max(0, min(100, round(100 * (1 - kept / total))))

    @property
    def reading_minutes(self) -> int:
        """Rough reading time of the whole article (230 wpm, 500 CJK chars/min)."""
        from bot.language import count_reading_units

        words, cjk_chars = count_reading_units(self.article.text)
        return max(1, round(words / 230 + cjk_chars / 500))

    def to_record(self, item_id: Any = None) -> dict[str, Any]:
        """The output line of the batch contract (without ``seconds``/``error``)."""
        return {
            "id": item_id,
            "title": self.article.title,
            "language": self.summary.language,
            "text": self.article.text,
            "points": list(self.summary.points),
            "point_speakers": [self.summary.speaker_of_point(i) for i in range(len(self.summary.points))],
            "quotes": [
                {"text": q.text, "speaker": q.speaker, "selected": q.selected} for q in self.summary.quotes
            ],
            "keywords": list(self.summary.keywords),
        }


def as_dict(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` re-exported so callers need not import dataclasses."""
    return asdict(obj)
