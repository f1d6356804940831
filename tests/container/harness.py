"""The bot inside the container, against the fake Bot API server on loopback.

Called by ``tests/container/run.sh`` after the image is built. Checks, in
order: a private chat gets a summary; the process is not root; the health
check turns healthy; a settings change is stored; SIGTERM stops the bot
cleanly; after a restart the setting and the cached summary are still there.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.bot_articles import library_page  # noqa: E402
from tests.support.fake_telegram import FakeTelegram  # noqa: E402
from tests.support.pages import Page, serving  # noqa: E402

NAME = "keypoint-container-test"
VOLUME = "keypoint-container-test-data"


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["podman", *args], capture_output=True, text=True, check=check, timeout=120)


def start_container(image: str, fake: FakeTelegram) -> None:
    podman(
        "run",
        "-d",
        "--name",
        NAME,
        "--runtime",
        "runc",
        "--network",
        "host",
        "-v",
        f"{VOLUME}:/data",
        "-e",
        f"TELEGRAM_BOT_TOKEN={fake.token}",
        "-e",
        f"KEYPOINT_BOT_API_URL={fake.api_url}",
        "-e",
        "KEYPOINT_ALLOW_PRIVATE_ADDRESSES=1",
        "-e",
        "KEYPOINT_POLL_TIMEOUT_SECONDS=1",
        "-e",
        "KEYPOINT_WORKERS=1",
        image,
        "run",
    )


def wait_polling(fake: FakeTelegram, since: int) -> None:
    fake.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), timeout=60, since=since)


def settings_text(fake: FakeTelegram, user: dict, chat: dict) -> tuple[str, object]:
    mark = fake.mark()
    fake.send(
        fake.message(chat, user, "/settings", entities=[{"type": "bot_command", "offset": 0, "length": 9}])
    )
    sent = fake.wait_sent(user["id"], since=mark, timeout=30)[0]
    return sent.params["text"], sent


def check(condition: bool, message: str) -> None:
    if not condition:
        logs = podman("logs", NAME, check=False)
        print(logs.stdout[-3000:], logs.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"FAILED: {message}")
    print(f"ok: {message}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    image = parser.parse_args().image
    podman("rm", "-f", NAME, check=False)
    podman("volume", "rm", "-f", VOLUME, check=False)
    podman("volume", "create", VOLUME)
    fake = FakeTelegram()
    fake.start()
    try:
        with serving() as pages:
            pages.pages["/library"] = Page(library_page())
            start_container(image, fake)
            wait_polling(fake, 0)
            user = fake.user(4242, "Cora")
            chat = fake.private_chat(user)

            mark = fake.mark()
            fake.send(fake.message(chat, user, pages.url("/library")))
            reply = fake.wait_sent(user["id"], since=mark, timeout=60)[-1]
            check("Elmbridge library" in reply.params["text"], "a private link gets a summary")
            fetched_before = len(pages.requests)

            uid = podman("exec", NAME, "id", "-u").stdout.strip()
            check(uid not in ("", "0"), f"the bot runs as a non-root user (uid {uid})")

            deadline = time.monotonic() + 60
            health = podman("healthcheck", "run", NAME, check=False)
            while health.returncode != 0 and time.monotonic() < deadline:
                time.sleep(2)
                health = podman("healthcheck", "run", NAME, check=False)
            status = podman(
                "inspect", NAME, "--format", "{{.State.Health.Status}}", check=False
            ).stdout.strip()
            check(
                health.returncode == 0 and status == "healthy", f"the health check turns healthy ({status})"
            )

            before, settings_message = settings_text(fake, user, chat)
            mark = fake.mark()
            fake.press(settings_message, "s|q|0", user)  # quotes off
            fake.wait_for(
                lambda calls: any(c.method == "editMessageText" for c in calls), timeout=30, since=mark
            )
            after, _ = settings_text(fake, user, chat)
            check(after != before, "a settings button changes the chat's settings")

            started = time.monotonic()
            podman("stop", "-t", "30", NAME)
            took = time.monotonic() - started
            code = podman("inspect", NAME, "--format", "{{.State.ExitCode}}").stdout.strip()
            check(code == "0" and took < 25, f"SIGTERM stops the bot cleanly (exit {code} in {took:.1f} s)")

            mark = fake.mark()
            podman("start", NAME)
            wait_polling(fake, mark)
            restarted, _ = settings_text(fake, user, chat)
            check(restarted == after, "settings stored in /data survive a restart")
            mark = fake.mark()
            fake.send(fake.message(chat, user, pages.url("/library")))
            again = fake.wait_sent(user["id"], since=mark, timeout=60)[-1]
            check(
                "Elmbridge library" in again.params["text"] and len(pages.requests) == fetched_before,
                "the summary cache in /data survives a restart (no second fetch)",
            )
            check(fake.token not in podman("logs", NAME).stderr, "the token never appears in the logs")
    finally:
        podman("rm", "-f", NAME, check=False)
        podman("volume", "rm", "-f", VOLUME, check=False)
        fake.stop()
    print(json.dumps({"container_test": "passed"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
