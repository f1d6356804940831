"""The reader page in a real headless Chromium (Debian's ``chromium`` + ``chromedriver``).

Served by the bot's own reader server from a real SQLite store: the page loads
under its strict Content-Security-Policy with no console errors (a blocked style
or script would be one), every key point is highlighted word for word, quotes
carry their speakers, dark mode and Telegram's Mini App theme apply, and a
phone-width screenshot is saved (``KEYPOINT_ARTIFACTS``, default ``.artifacts``)
and checked not to be blank. Skipped, with the reason, where Chromium is absent.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import struct
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.models import Digest
from bot.pipeline import digest_html
from bot.reader.server import start_reader
from bot.storage import SQLiteStorage
from tests.support.bot_articles import hostile_page, library_page
from tests.support.bot_harness import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
PHONE = (390, 844)


def artifacts() -> Path:
    folder = Path(os.environ.get("KEYPOINT_ARTIFACTS") or ROOT / ".artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Reader:
    """The reader server on its own event loop in a thread, with two stored digests."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.storage = SQLiteStorage(folder / "reader.sqlite3")
        self.digests: dict[str, Digest] = {}
        self.tokens: dict[str, str] = {}
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self._start())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert ready.wait(30)

    async def _start(self) -> None:
        await self.storage.open()
        for name, page in (("library", library_page()), ("hostile", hostile_page())):
            digest = digest_html(page.decode("utf-8"), url=f"https://news.example/{name}", max_quotes=3)
            await self.storage.put_digest(name, digest, f"https://news.example/{name}")
            self.digests[name] = digest
            self.tokens[name] = await self.storage.reader_token(name, 3600)
        self.server = start_reader(self.storage, 3600, "127.0.0.1", self.port)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/r/{self.tokens[name]}"

    def stop(self) -> None:
        async def close() -> None:
            self.server.stop()
            await self.storage.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def reader() -> Iterator[Reader]:
    with tempfile.TemporaryDirectory() as folder:
        served = Reader(Path(folder))
        try:
            yield served
        finally:
            served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="keypoint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    try:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True},
        )
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _errors(driver: object) -> list[dict]:
    """Console messages at error level since the last call (CSP violations are among them)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def _colours_in_png(path: Path) -> int:
    """How many distinct pixel values an 8-bit RGB(A) PNG holds (decoded with zlib alone)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), "chromium writes 8-bit RGB or RGBA"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    seen: set[bytes] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):  # undo the PNG row filter
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                a, b, c = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[i] = (line[i] + (left if a <= b and a <= c else up if b <= c else corner)) & 255
        if row % 4 == 0:  # every fourth row is plenty to tell text from a blank page
            seen.update(bytes(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return len(seen)


def test_reader_page_in_chromium_at_phone_width(reader: Reader, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _errors(driver)
    driver.get(reader.url("library"))
    assert driver.title == "Elmbridge library will stay open on Sundays"
    digest = reader.digests["library"]
    for index, point in enumerate(digest.summary.points):
        pieces = driver.find_elements(By.CSS_SELECTOR, f'mark[data-point="{index}"]')
        assert pieces, f"point {index} is not highlighted"
        assert " ".join("".join(p.text for p in pieces).split()) == " ".join(point.split())
    speakers = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "q + .speaker")]
    assert speakers == ["— Margaret Olsen", "— Daniel Price"]
    keywords = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".keywords li")]
    assert keywords == digest.summary.keywords
    assert "min read" in driver.find_element(By.CSS_SELECTOR, ".meta").text
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], "the page scrolls sideways on a phone"
    background = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(253, 252, 249)"  # the light theme: so the style was allowed to apply
    assert _errors(driver) == []
    shot = artifacts() / "reader-phone.png"
    driver.save_screenshot(str(shot))
    assert _colours_in_png(shot) > 20, f"{shot} looks blank"


def test_dark_theme_and_telegram_theme_params(reader: Reader, browser: object) -> None:
    driver = browser
    _errors(driver)
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    try:
        driver.get(reader.url("library"))
        dark = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert dark == "rgb(22, 23, 26)"
        driver.save_screenshot(str(artifacts() / "reader-phone-dark.png"))
        theme = quote(json.dumps({"bg_color": "#102030", "text_color": "#f0f0f0", "link_color": "bad;"}))
        driver.get("about:blank")
        driver.get(reader.url("library") + f"#tgWebAppThemeParams={theme}&tgWebAppVersion=9.0")
        themed = driver.execute_script("return getComputedStyle(document.body).backgroundColor")
        assert themed == "rgb(16, 32, 48)"  # the script ran (its hash is in the policy)
        link = driver.execute_script("return getComputedStyle(document.querySelector('a')).color")
        assert link == "rgb(125, 179, 255)"  # an invalid colour is ignored: the dark theme's own
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert _errors(driver) == []


def test_hostile_text_stays_text_in_the_browser(reader: Reader, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    _errors(driver)
    driver.get(reader.url("hostile"))
    assert "<script>alert('x')</script>" in driver.title
    assert driver.execute_script("return document.scripts.length") == 1  # ours alone
    assert driver.find_elements(By.CSS_SELECTOR, "article script, article b, article div") == []
    shown = driver.find_element(By.TAG_NAME, "article").text
    assert "The <script>alert(1)</script> tag appeared" in shown and "website & its forms" in shown
    assert _errors(driver) == []
