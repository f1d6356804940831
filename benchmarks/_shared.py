"""Where the benchmarks find the development data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared data folder (``KEYPOINT_SHARED``, else ``../shared``); exits when absent."""
    named = os.environ.get("KEYPOINT_SHARED")
    path = Path(named) if named else ROOT.parent / "shared"
    if not path.is_dir():
        sys.exit(f"shared data not found at {path} (set KEYPOINT_SHARED)")
    return path
