"""The webhook endpoint: Telegram's POST is answered 200 only once its update is handled.

PTB's own webhook answers 200 as soon as an update is queued, so a replica that
is killed (a deploy, out of memory) loses the updates it had accepted: Telegram
never sends them again. Here each POST claims its update through
:class:`~bot.telegram.replicas.Coordination` first:

- a new update is handled, then answered 200 and marked done;
- one that another replica (or another connection) is still handling gets 503,
  and Telegram posts it again later, when it is done (200) or its claim has
  lapsed because that replica died (then it is handled here);
- one already done gets 200 and nothing else, so a re-delivery is never answered twice.

Runs on the event loop of the application, with PTB's lifecycle (initialise,
post_init, start … stop, post_shutdown, shutdown) driven as ``run_webhook`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Sequence

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as TornadoApplication
from tornado.web import RequestHandler

from bot.config import Settings
from bot.telegram.deps import BotApplication, Deps
from bot.telegram.replicas import CLAIM_RENEW_SECONDS, Claim, Coordination

log = logging.getLogger(__name__)

AUTH_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(RequestHandler):
    """POST {path}: one update from Telegram."""

    def initialize(self, bot_application: BotApplication, secret: str) -> None:
        self._application = bot_application
        self._secret = secret

    async def post(self) -> None:
        given = self.request.headers.get(AUTH_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            self.set_status(403)  # not Telegram
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self._application.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        coordination = _deps(self._application).coordination
        claim = await coordination.claim_update(update.update_id)
        if claim is Claim.DONE:
            return  # 200: answered already, here or on another replica
        if claim is Claim.BUSY:
            self.set_status(503)
            self.set_header("Retry-After", "1")
            return
        keeper = asyncio.create_task(_keep_claim(coordination, update.update_id))
        try:
            await self._application.process_update(update)
        except Exception:  # handlers report their own errors; this is the last net
            log.exception("update %s failed", update.update_id)
            await coordination.release_update(update.update_id)
            self.set_status(500)
            return
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        await coordination.finish_update(update.update_id)


def _deps(application: BotApplication) -> Deps:
    shared: Deps = application.bot_data["deps"]
    return shared


async def _keep_claim(coordination: Coordination, update_id: int) -> None:
    """Renew the claim while handlers run, so only a dead replica's claim lapses."""
    while True:
        await asyncio.sleep(CLAIM_RENEW_SECONDS)
        try:
            if not await coordination.keep_update(update_id):
                log.warning("update %s: the claim lapsed while it was handled here", update_id)
                return
        except Exception:  # a Redis hiccup: try again at the next renewal, the claim has 30 s
            log.warning("update %s: renewing the claim failed", update_id, exc_info=True)


def run_webhook(
    application: BotApplication,
    settings: Settings,
    *,
    secret: str,
    allowed_updates: list[str],
    stop_signals: Sequence[int] | None,
) -> None:
    """Serve the webhook until ``application.stop_running()`` or a stop signal."""
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:  # no current loop in this thread (newer Pythons)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
    for signal_number in stop_signals or ():
        loop.add_signal_handler(signal_number, application.stop_running)
    path = "/" + settings.webhook_path.lstrip("/")
    server: HTTPServer | None = None
    try:
        loop.run_until_complete(application.initialize())
        if application.post_init is not None:
            loop.run_until_complete(application.post_init(application))
        loop.run_until_complete(application.start())
        routes = [(path, _UpdateHandler, {"bot_application": application, "secret": secret})]
        server = HTTPServer(TornadoApplication(routes))
        server.listen(settings.webhook_port, address=settings.webhook_listen)
        loop.run_until_complete(
            application.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=secret,
                allowed_updates=allowed_updates,
                drop_pending_updates=False,
                # Telegram's maximum: each connection holds one update until it is handled,
                # so throughput is at most connections / seconds per update.
                max_connections=100,
            )
        )
        log.info("webhook listening on %s:%d%s", settings.webhook_listen, settings.webhook_port, path)
        loop.run_forever()
    finally:
        if server is not None:
            server.stop()
            loop.run_until_complete(server.close_all_connections())
        if application.running:
            loop.run_until_complete(application.stop())
            if application.post_stop is not None:
                loop.run_until_complete(application.post_stop(application))
        if application.post_shutdown is not None:
            loop.run_until_complete(application.post_shutdown(application))
        loop.run_until_complete(application.shutdown())
        loop.close()
