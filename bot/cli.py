"""Command line: ``keypoint summarize SOURCE``, ``--jsonl`` batches, ``run``."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote

from bot.budget import cpu_budget
from bot.config import Settings, get_settings
from bot.errors import InvalidSourceError, KeypointError
from bot.fetch import Fetcher
from bot.models import Digest
from bot.pipeline import digest_html, digest_page, digest_text, digest_url

HTML_SUFFIXES = {".html", ".htm"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bot`` and ``keypoint``."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command in ("summarize", "summarise"):  # argparse reports the alias as typed
        if args.jsonl:
            if args.source not in (None, "-"):
                parser.error("--jsonl reads its items from stdin; give no SOURCE")
            return asyncio.run(run_batch(sys.stdin, sys.stdout, points=args.points))
        if args.source is None:
            parser.error("summarize needs a SOURCE (URL, file or -), or --jsonl")
        return asyncio.run(_summarize_one(args.source, args.points, args.json))
    if args.command == "run":
        from bot.telegram.app import run_bot

        return run_bot(get_settings())
    if args.command == "backup":
        return backup_database(get_settings().db_path, Path(args.destination))
    if args.command == "health":
        from bot.telegram.health import check_health

        return check_health(get_settings())
    parser.print_help()
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="keypoint", description="Key points and quotes of an article.")
    commands = parser.add_subparsers(dest="command")
    summarize = commands.add_parser(
        "summarize", aliases=["summarise"], help="summarise a URL, a file or stdin"
    )
    summarize.add_argument("source", nargs="?", help="http(s) URL, .html/.htm/.txt/.md file, or - for stdin")
    summarize.add_argument(
        "--points", type=int, default=None, help="number of key points (default: by length)"
    )
    summarize.add_argument("--json", action="store_true", help="print one JSON object")
    summarize.add_argument("--jsonl", action="store_true", help="batch: JSON lines from stdin to stdout")
    commands.add_parser("run", help="start the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    commands.add_parser("health", help="exit 0 if the running bot's heartbeat is fresh")
    backup = commands.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("destination", help="path of the copy to write")
    return parser


def backup_database(source: Path, destination: Path) -> int:
    """SQLite's online backup of ``source`` into ``destination`` (consistent while in use)."""
    import sqlite3

    if not source.is_file():
        print(f"keypoint: no database at {source}", file=sys.stderr)
        return 1
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader,
        sqlite3.connect(destination) as writer,
    ):
        reader.backup(writer)
    print(f"backed up {source} to {destination}")
    return 0


async def _summarize_one(source: str, points: int | None, as_json: bool) -> int:
    settings = get_settings()
    started = time.perf_counter()
    try:
        digest = await summarize_source(source, settings, points=points)
    except KeypointError as exc:
        if as_json:
            print(json.dumps(_error_record(None, str(exc), started), ensure_ascii=False))
        else:
            print(f"keypoint: {exc}", file=sys.stderr)
        return 1
    if as_json:
        record = in_script(digest.to_record(), settings.convert_chinese)
        record.update(error=None, seconds=round(time.perf_counter() - started, 4))
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(in_script(format_for_terminal(digest), settings.convert_chinese))
    return 0


def in_script(value: Any, target: str) -> Any:
    """``value`` (a string, or strings inside lists and dicts) in the configured Chinese script."""
    if target == "none":
        return value
    from bot.repair import convert_script

    if isinstance(value, str):
        return convert_script(value, target)
    if isinstance(value, list):
        return [in_script(item, target) for item in value]
    if isinstance(value, dict):
        return {key: in_script(item, target) if key != "id" else item for key, item in value.items()}
    return value


async def summarize_source(source: str, settings: Settings, *, points: int | None = None) -> Digest:
    """A digest of a URL, a file path or ``-`` (stdin)."""
    options: dict[str, Any] = {
        "points": points,
        "max_quotes": settings.max_quotes,
        "max_chars": settings.max_text_chars or None,
    }
    max_elements = settings.max_html_elements or None
    if source == "-":
        return digest_text(sys.stdin.read(), **options)
    if source.startswith(("http://", "https://")):
        async with Fetcher(settings) as fetcher:
            return await digest_url(source, fetcher, max_elements=max_elements, **options)
    suffix, data = await asyncio.to_thread(_read_file_source, source)
    if suffix in HTML_SUFFIXES:
        return digest_html(data, max_elements=max_elements, **options)
    from bot.extract import decode_bytes

    text, _codec = decode_bytes(data)
    return digest_text(text, **options)


def _read_file_source(source: str) -> tuple[str, bytes]:
    """(The lower-case suffix, the bytes) of the file ``source``, when it is one we can summarise."""
    path = Path(source)
    if not path.is_file():
        raise InvalidSourceError(f"{source} is neither an http(s) URL nor a readable file")
    suffix = path.suffix.lower()
    if suffix not in HTML_SUFFIXES and suffix not in TEXT_SUFFIXES:
        raise InvalidSourceError(f"unsupported file type {suffix or '(none)'}: use .html, .htm, .txt or .md")
    return suffix, path.read_bytes()


def format_for_terminal(digest: Digest, width: int = 88) -> str:
    """A plain-text rendering for people reading a terminal."""
    article, summary = digest.article, digest.summary
    lines = [article.title or "(untitled)", "=" * min(width, len(article.title or "(untitled)") * 2)]
    for index, point in enumerate(summary.points):
        speaker = summary.speaker_of_point(index)
        shown_point = f"{point} — {speaker}" if speaker else point
        lines.extend(textwrap.wrap(shown_point, width, initial_indent="• ", subsequent_indent="  ") or ["•"])
    shown = [q for q in summary.quotes if q.selected]
    if shown:
        lines.append("")
        lines.append("Quotes:")
        for quote in shown:
            lines.extend(
                textwrap.wrap(
                    f"“{quote.text}” — {quote.speaker or 'unattributed'}",
                    width,
                    initial_indent="  ",
                    subsequent_indent="    ",
                )
            )
    if summary.keywords:
        lines += ["", "Keywords: " + ", ".join(summary.keywords)]
    lines += ["", f"Reduced by {digest.reduction_percent}% · {digest.reading_minutes} min read"]
    if digest.truncated_at is not None:
        lines.append(f"The text was longer: summarised its first {digest.truncated_at:,} characters.")
    if article.url:
        lines.append(f"Source: {unquote(article.url)}")  # readable: 法国 rather than %E6%B3%95%E5%9B%BD
    return "\n".join(lines)


# --- batch contract -----------------------------------------------------------

_INPUT_FIELDS = ("text", "html", "url")


def _error_record(item_id: Any, message: str, started: float) -> dict[str, Any]:
    return {
        "id": item_id,
        "title": None,
        "language": None,
        "text": "",
        "points": [],
        "point_speakers": [],
        "quotes": [],
        "keywords": [],
        "error": message,
        "seconds": round(time.perf_counter() - started, 4),
    }


async def run_batch(source: TextIO, sink: TextIO, *, points: int | None = None) -> int:
    """Answer every JSON line of ``source`` with one line on ``sink``, in order."""
    settings = get_settings()
    async with Fetcher(settings) as fetcher:
        for line in source:
            if not line.strip():
                continue
            record = await process_batch_line(line, fetcher, settings, default_points=points)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
    return 0


async def process_batch_line(
    line: str, fetcher: Fetcher, settings: Settings, *, default_points: int | None = None
) -> dict[str, Any]:
    """One output record for one input line; never raises."""
    started = time.perf_counter()
    item_id: Any = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise InvalidSourceError("each line must be a JSON object")
        item_id = item.get("id")
        given = [name for name in _INPUT_FIELDS if item.get(name) is not None]
        if len(given) != 1:
            raise InvalidSourceError('give exactly one of "text", "html" or "url"')
        field = given[0]
        value = item[field]
        if not isinstance(value, str):
            raise InvalidSourceError(f'"{field}" must be a string')
        points = item.get("points", default_points)
        if points is not None and (not isinstance(points, int) or isinstance(points, bool) or points < 0):
            raise InvalidSourceError('"points" must be a non-negative integer')
        title = item.get("title") if isinstance(item.get("title"), str) else None
        language = item.get("language") if isinstance(item.get("language"), str) else None
        options: dict[str, Any] = {
            "points": points,
            "language": language,
            "max_quotes": settings.max_quotes,
            "max_chars": settings.max_text_chars or None,
        }
        # The CPU work runs here, in the main thread, where the budget's signal
        # arrives: one hostile line gets an error record instead of holding the batch.
        budget = settings.job_cpu_seconds or None
        max_elements = settings.max_html_elements or None
        if field == "text":
            with cpu_budget(budget):
                digest = digest_text(value, title=title, **options)
        elif field == "html":
            with cpu_budget(budget):
                digest = digest_html(value, title=title, max_elements=max_elements, **options)
        else:
            page = await fetcher.fetch(value)
            with cpu_budget(budget):
                digest = digest_page(page, max_elements=max_elements, **options)
            if title:
                digest.article = digest.article.__class__(**{**_fields(digest.article), "title": title})
    except json.JSONDecodeError as exc:
        return _error_record(None, f"invalid JSON: {exc.msg}", started)
    except KeypointError as exc:
        return _error_record(item_id, str(exc), started)
    except Exception as exc:
        return _error_record(item_id, f"internal error: {type(exc).__name__}: {exc}", started)
    record: dict[str, Any] = in_script(digest.to_record(item_id), settings.convert_chinese)
    record.update(error=None, seconds=round(time.perf_counter() - started, 4))
    return record


def _fields(obj: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(obj, f.name) for f in fields(obj)}
