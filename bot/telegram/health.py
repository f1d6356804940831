"""``keypoint health``: is the running bot alive? (used by the container HEALTHCHECK)."""

from __future__ import annotations

import sys
import time

from bot.config import Settings

MAX_AGE_SECONDS = 90.0


def check_health(settings: Settings) -> int:
    """0 when the heartbeat file was refreshed recently, 1 otherwise."""
    path = settings.heartbeat_path
    if path is None:
        print("keypoint: no heartbeat_path configured", file=sys.stderr)
        return 1
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        print(f"keypoint: no heartbeat at {path}", file=sys.stderr)
        return 1
    if age > MAX_AGE_SECONDS:
        print(f"keypoint: heartbeat is {age:.0f} s old", file=sys.stderr)
        return 1
    return 0
