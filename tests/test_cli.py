"""The command line in its three modes, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.pages import Page, PageServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=120,
    )


def test_summarize_file_prints_readable_summary() -> None:
    result = run_cli("summarize", str(FIXTURES / "en-article.html"), "--points", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Harbour town votes to build a tidal power station"
    assert sum(line.startswith("• ") for line in lines) == 3


def test_summarize_json_has_the_contract_fields() -> None:
    result = run_cli("summarize", str(FIXTURES / "zh-article.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert set(record) == {
        "id",
        "title",
        "language",
        "text",
        "points",
        "point_speakers",
        "quotes",
        "keywords",
        "error",
        "seconds",
    }
    assert record["language"] == "zh" and record["error"] is None
    assert all(set(q) == {"text", "speaker", "selected"} for q in record["quotes"])


def test_british_spelling_of_the_command_works_too() -> None:
    british = run_cli("summarise", str(FIXTURES / "en-article.html"), "--points", "2")
    american = run_cli("summarize", str(FIXTURES / "en-article.html"), "--points", "2")
    assert british.returncode == 0, british.stderr
    assert british.stdout == american.stdout


def test_summarize_stdin() -> None:
    text = (FIXTURES / "zh-article.txt").read_text("utf-8")
    result = run_cli("summarize", "-", "--json", "--points", "2", stdin=text)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["points"]) == 2


def test_summarize_unknown_file_fails_clearly() -> None:
    result = run_cli("summarize", "no-such-file.txt")
    assert result.returncode == 1
    assert "neither an http(s) URL nor a readable file" in result.stderr


def test_summarize_url_from_local_server(page_server: PageServer) -> None:
    page_server.pages["/tidal"] = Page((FIXTURES / "en-article.html").read_bytes())
    result = run_cli(
        "summarize", page_server.url("/tidal"), "--json", env={"KEYPOINT_ALLOW_PRIVATE_ADDRESSES": "1"}
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Harbour town votes to build a tidal power station"


def test_summarize_refuses_loopback_by_default(page_server: PageServer) -> None:
    page_server.pages["/tidal"] = Page((FIXTURES / "en-article.html").read_bytes())
    result = run_cli("summarize", page_server.url("/tidal"))
    assert result.returncode == 1
    assert "private or reserved address" in result.stderr
    assert page_server.requests == []


def test_jsonl_answers_every_line_in_order(page_server: PageServer) -> None:
    page_server.pages["/tidal"] = Page((FIXTURES / "en-article.html").read_bytes())
    zh = (FIXTURES / "zh-article.txt").read_text("utf-8")
    html = (FIXTURES / "en-article.html").read_text("utf-8")
    lines = [
        json.dumps({"id": 1, "text": zh, "points": 2}),
        "this is not json",
        json.dumps({"id": "two-fields", "text": "a", "html": "<p>b</p>"}),
        json.dumps({"id": [3], "html": html}),
        json.dumps({"id": 4}),
        json.dumps({"id": 5, "text": "   "}),
        json.dumps({"id": 6, "url": page_server.url("/missing")}),
        json.dumps({"id": 7, "url": page_server.url("/tidal"), "title": "Given title"}),
        json.dumps({"id": 8, "url": "ftp://example.org/file"}),
    ]
    result = run_cli(
        "summarize", "--jsonl", stdin="\n".join(lines) + "\n", env={"KEYPOINT_ALLOW_PRIVATE_ADDRESSES": "1"}
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == [1, None, "two-fields", [3], 4, 5, 6, 7, 8]
    assert [r["error"] is None for r in records] == [
        True,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
        False,
    ]
    assert len(records[0]["points"]) == 2
    assert len(records[0]["point_speakers"]) == 2
    assert all(set(r) == set(records[0]) for r in records)  # failed lines carry every field too
    assert records[7]["title"] == "Given title"
    for failed in (records[1], records[2], records[4], records[5], records[6], records[8]):
        assert failed["points"] == [] and failed["quotes"] == [] and failed["text"] == ""
        assert isinstance(failed["seconds"], float)


def test_jsonl_thousand_lines_mixed() -> None:
    zh = (FIXTURES / "zh-article.txt").read_text("utf-8")
    lines = []
    for index in range(1000):
        kind = index % 4
        if kind == 0:
            lines.append(json.dumps({"id": index, "text": zh}))
        elif kind == 1:
            lines.append("{broken json " + str(index))
        elif kind == 2:
            lines.append(json.dumps({"id": index, "text": ""}))
        else:
            lines.append(
                json.dumps({"id": index, "html": f"<html><body><p>{'Short words. ' * 40}</p></body></html>"})
            )
    result = run_cli("summarize", "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1000
    for index, record in enumerate(records):
        if index % 4 == 1:
            assert record["id"] is None and record["error"].startswith("invalid JSON")
        else:
            assert record["id"] == index
        if index % 4 == 0:
            assert record["error"] is None and record["points"]


def test_run_without_token_fails_fast() -> None:
    result = run_cli("run")
    assert result.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.shared
def test_seed_article_points_are_clean(shared: Path) -> None:
    result = run_cli("summarize", str(shared / "samples" / "seed-article.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["language"] == "zh"
    assert record["points"]
    junk = ("午夜视频", "日韩", "本站是提供", "轉藏", "評論公約", "圖片", "(shù)", "(fā)", "</span>")
    for point in record["points"]:
        assert not any(j in point for j in junk), point
    lines = [line.strip() for line in record["text"].splitlines()]
    assert "圖片" not in lines  # the placeholder lines; 圖片 inside a sentence is a real word
    assert not any(j in record["text"] for j in junk if j != "圖片")


def test_backup_copies_the_database(tmp_path: Path) -> None:
    import sqlite3

    database = tmp_path / "live.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("create table chat (id integer, points integer)")
        connection.execute("insert into chat values (7, 4)")
    result = run_cli("backup", str(tmp_path / "copy.sqlite3"), env={"KEYPOINT_DB_PATH": str(database)})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("select id, points from chat").fetchall() == [(7, 4)]
    missing = run_cli("backup", str(tmp_path / "x.sqlite3"), env={"KEYPOINT_DB_PATH": str(tmp_path / "none")})
    assert missing.returncode == 1 and "no database" in missing.stderr


def test_chinese_output_script_setting() -> None:
    traditional = "本報訊 經過半年的道路測試，山城市首條無人駕駛公交線路於週一正式開通。" * 3
    result = run_cli(
        "summarize", "-", "--json", stdin=traditional, env={"KEYPOINT_CONVERT_CHINESE": "simplified"}
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert "无人驾驶" in record["text"] and "無人駕駛" not in record["text"]
    assert all("駕駛" not in point for point in record["points"])
