"""Redirects: followed up to the limit, loops stopped, cookies kept per fetch."""

from __future__ import annotations

import pytest

from bot.errors import UnreachableError
from bot.fetch import Fetcher
from tests.support.fetch_servers import (
    fetch_once,
    fetch_settings,
    raw_server,
    redirect,
    respond,
    routes,
)

ALLOW = fetch_settings(allow_private_addresses=True)
PAGE = b"<html><body><p>Arrived after the redirects.</p></body></html>"


def chain(length: int) -> dict:
    """/r0 → /r1 → … → /r{length} (the page)."""
    table = {f"/r{i}": redirect(f"/r{i + 1}", status="301 Moved Permanently") for i in range(length)}
    table[f"/r{length}"] = respond(PAGE)
    return table


async def test_five_redirects_are_followed() -> None:
    with raw_server(routes(chain(5))) as server:
        page = await fetch_once(server.url("/r0"), ALLOW)
    assert page.body == PAGE
    assert page.url == server.url("/r0")
    assert page.final_url == server.url("/r5")


async def test_six_redirects_are_too_many() -> None:
    with raw_server(routes(chain(6))) as server, pytest.raises(UnreachableError, match="more than 5"):
        await fetch_once(server.url("/r0"), ALLOW)
    assert len(server.requests) == 6  # the sixth redirect is not followed


async def test_redirect_loop_is_stopped() -> None:
    table = {"/a": redirect("/b"), "/b": redirect("/a")}
    with raw_server(routes(table)) as server, pytest.raises(UnreachableError, match="redirects"):
        await fetch_once(server.url("/a"), ALLOW)


@pytest.mark.parametrize(
    "status", ["301 Moved", "302 Found", "303 See Other", "307 Temporary", "308 Permanent"]
)
async def test_every_redirect_status_is_followed(status: str) -> None:
    with raw_server(routes({"/old": redirect("/new?x=1", status=status), "/new": respond(PAGE)})) as server:
        page = await fetch_once(server.url("/old"), ALLOW)
    assert page.final_url == server.url("/new?x=1")


async def test_redirect_without_location_is_an_error() -> None:
    with (
        raw_server(respond(b"", status="302 Found")) as server,
        pytest.raises(UnreachableError, match="without a new address"),
    ):
        await fetch_once(server.url(), ALLOW)


async def test_error_status_is_reported() -> None:
    with raw_server(routes({})) as server, pytest.raises(UnreachableError, match="404"):
        await fetch_once(server.url("/gone"), ALLOW)


async def test_cookies_follow_the_redirects_of_one_fetch_only() -> None:
    """A cookie wall that sets a cookie and redirects works; the next fetch
    (perhaps another user's) does not carry that cookie."""
    set_cookie = respond(
        b"", status="302 Found", headers={"Location": "/page", "Set-Cookie": "consent=yes; Path=/"}
    )
    with raw_server(routes({"/start": set_cookie, "/page": respond(PAGE)})) as server:
        async with Fetcher(ALLOW) as fetcher:
            await fetcher.fetch(server.url("/start"))
            await fetcher.fetch(server.url("/page"))
    heads = [h.decode("latin-1").lower() for h in server.requests]
    assert "cookie: consent=yes" in heads[1]
    assert "cookie:" not in heads[2]
