"""Charset decoding: declared, sniffed and detected; never U+FFFD for stray bytes."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from bot.extract.decode import decode_bytes, sniff_meta_charset

ZH = "今天下午，市政府宣布了新的公共交通计划，预计明年开始实施。市民普遍表示欢迎。" * 3
ZH_TRAD = "今天下午，市政府宣布了新的公共交通計劃，預計明年開始實施。市民普遍表示歡迎。" * 3


def page(body: str, meta: str | None = None) -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


def test_gbk_page_without_any_declaration_is_detected() -> None:
    text, codec = decode_bytes(page(ZH).encode("gbk"))
    assert codec == "gb18030" and ZH in text


def test_big5_page_without_declaration_is_detected() -> None:
    text, codec = decode_bytes(page(ZH_TRAD).encode("big5"))
    assert codec == "big5hkscs" and ZH_TRAD in text


def test_declared_gb2312_is_read_as_gb18030() -> None:
    body = page("镕基" + ZH, meta="gb2312").encode("gb18030")  # 镕 is not in GB2312
    text, codec = decode_bytes(body)
    assert codec == "gb18030" and "镕基" in text


def test_header_charset_used_and_stray_bytes_dropped() -> None:
    body = page(ZH).encode("gbk") + b"\xff"
    text, codec = decode_bytes(body, "GBK")
    assert codec == "gb18030" and "\ufffd" not in text and ZH in text


def test_valid_utf8_wins_over_a_wrong_declaration() -> None:
    text, codec = decode_bytes(page(ZH, meta="gb2312").encode("utf-8"), "gb2312")
    assert codec == "utf-8" and ZH in text


def test_bom_and_ascii() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + "héllo".encode())[0] == "héllo"
    assert decode_bytes(b"plain")[1] == "ascii"


def test_western_page_without_declaration_reads_as_windows_1252() -> None:
    body = "Le café était très animé ce soir-là, et la crème brûlée excellente.".encode("cp1252")
    text, codec = decode_bytes(body)
    assert codec == "cp1252" and "crème brûlée" in text


def test_cyrillic_single_byte_is_not_forced_to_western() -> None:
    body = ("Привет, как дела? Это проверка кодировки страницы. " * 4).encode("cp1251")
    text, _codec = decode_bytes(body)
    assert "Привет" in text


def test_meta_and_xml_declarations_sniffed() -> None:
    assert sniff_meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">') == "GBK"
    assert sniff_meta_charset(b'<?xml version="1.0" encoding="big5"?><rss>') == "big5"


@pytest.mark.shared
def test_chardet_corpus_decodes_to_the_labelled_text(shared: Path) -> None:
    wider = {"GB2312": "gb18030", "Big5": "big5hkscs", "iso-8859-1": "cp1252"}
    wrong = []
    for path in sorted((shared / "corpus/encodings-chardet").glob("*/*")):
        label = path.parent.name
        if label == "EUC-TW" or not path.is_file():
            continue
        body = path.read_bytes()
        expected = body.decode(wider.get(label, label), errors="replace").replace("\ufffd", "")
        if decode_bytes(body)[0] != expected:
            wrong.append(path.name)
    assert not wrong


def test_big5_page_declaring_gb2312_is_read_as_big5() -> None:
    text, codec = decode_bytes(page(ZH_TRAD, meta="gb2312").encode("big5"))
    assert codec == "big5hkscs" and ZH_TRAD in text


def test_gbk_page_declaring_big5_is_read_as_gbk() -> None:
    text, codec = decode_bytes(page(ZH, meta="big5").encode("gbk"), "big5")
    assert ZH in text and codec == "gb18030"
