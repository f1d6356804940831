"""The lock files agree with pyproject.toml (refresh them with `bash requirements/refresh.sh`).

Each lock's header holds the command that made it; the extras it names are the
ones the lock must serve. A dependency added to pyproject.toml without a
refreshed lock, a range the pinned version no longer satisfies, or a package
dropped from pyproject.toml but still locked as direct, each fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
LOCKS = ("requirements.lock", "requirements-dev.lock", "requirements-bench.lock")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


@dataclass
class Lock:
    command: str
    # A universal lock may pin a package more than once, by Python version (markers).
    pins: dict[str, set[Version]] = field(default_factory=dict)
    hashed: set[str] = field(default_factory=set)
    direct: set[str] = field(default_factory=set)  # packages the lock says pyproject.toml asks for


def read_lock(name: str) -> Lock:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    lock = Lock(command=lines[1].lstrip("# ").strip())
    current = ""
    for line in lines[2:]:
        pinned = PIN.match(line)
        if pinned:
            current = canonicalize_name(pinned.group(1))
            lock.pins.setdefault(current, set()).add(Version(pinned.group(2)))
        elif line.strip().startswith("--hash=sha256:"):
            lock.hashed.add(current)
        elif "keypoint-bot (pyproject.toml)" in line or "-r requirements/build.in" in line:
            lock.direct.add(current)
    return lock


def requirements_for(command: str) -> list[Requirement]:
    """What pyproject.toml (and build.in) ask of a lock made by ``command``."""
    project = PYPROJECT["project"]
    wanted = [Requirement(spec) for spec in project["dependencies"]]
    for extra in re.findall(r"--extra (\S+)", command):
        wanted += [Requirement(spec) for spec in project["optional-dependencies"][extra]]
    build_in = (REQUIREMENTS / "build.in").read_text(encoding="utf-8").splitlines()
    wanted += [Requirement(line) for line in build_in if line.strip() and not line.startswith("#")]
    return wanted


@pytest.mark.parametrize("name", LOCKS)
def test_lock_satisfies_pyproject(name: str) -> None:
    lock = read_lock(name)
    assert "pyproject.toml" in lock.command and f"-o {name}" in lock.command
    for requirement in requirements_for(lock.command):
        package = canonicalize_name(requirement.name)
        assert package in lock.pins, f"{requirement} is not in {name}: refresh the lock"
        for version in lock.pins[package]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{name} pins {package}=={version}, outside {requirement.specifier}"
            )


@pytest.mark.parametrize("name", LOCKS)
def test_lock_has_no_stale_direct_dependency(name: str) -> None:
    lock = read_lock(name)
    wanted = {canonicalize_name(r.name) for r in requirements_for(lock.command)}
    assert lock.direct == wanted


@pytest.mark.parametrize("name", LOCKS)
def test_every_pin_is_hashed(name: str) -> None:
    lock = read_lock(name)
    assert lock.pins
    assert set(lock.pins) == lock.hashed


def test_locks_agree_on_shared_versions() -> None:
    locks = {name: read_lock(name) for name in LOCKS}
    dev = locks["requirements-dev.lock"]
    for name, lock in locks.items():
        for package, version in lock.pins.items():
            if package in dev.pins:
                expected = dev.pins[package]
                assert version == expected, f"{package}: {name} {version}, requirements-dev.lock {expected}"


def test_build_requirements_are_locked() -> None:
    build_in = {
        canonicalize_name(Requirement(line).name): Requirement(line)
        for line in (REQUIREMENTS / "build.in").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for spec in PYPROJECT["build-system"]["requires"]:
        requirement = Requirement(spec)
        assert canonicalize_name(requirement.name) in build_in
        assert str(requirement.specifier) == str(build_in[canonicalize_name(requirement.name)].specifier)


def test_python_telegram_bot_is_a_release_with_a_working_run_polling() -> None:
    # 22.1 (what pip backtracked to when httpx 0.29 came out) is the release this lock exists to avoid.
    for name in LOCKS:
        assert min(read_lock(name).pins["python-telegram-bot"]) >= Version("22.8")


def test_installed_environment_is_consistent() -> None:
    # The lock is installed with --no-deps; pip check proves nothing it needs is missing.
    command = [sys.executable, "-m", "pip", "check"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
