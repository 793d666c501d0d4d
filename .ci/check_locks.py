"""Fail when the lock files do not match pyproject.toml (offline; README, "Dependencies").

Every dependency pyproject.toml names must be pinned (`name==version`, with hashes) in the
right lock at a version its range allows: the project's dependencies in requirements.lock
(production) and in requirements-dev.lock at the same version; the `dev` extra's only in
requirements-dev.lock. The extras a dependency is asked with (`celery[redis]`) are checked
against what the lock says it was resolved with where uv writes them.
"""

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROD_LOCK = "requirements.lock"
DEV_LOCK = "requirements-dev.lock"
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def _pins(lock: str) -> dict[str, str]:
    """name → version of every pin in the lock file ("" for a pin without hashes)."""
    path = ROOT / lock
    if not path.exists():
        raise SystemExit(f"{lock} is missing: run `make lock`.")
    lines = path.read_text().splitlines()
    pins = {}
    for number, line in enumerate(lines):
        if match := _PIN.match(line):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            hashed = "--hash=sha256:" in line or "--hash=sha256:" in following
            pins[canonicalize_name(match["name"])] = match["version"] if hashed else ""
    return pins


def _check(requirement: Requirement, lock: str, pins: dict[str, str]) -> str | None:
    name = canonicalize_name(requirement.name)
    if name not in pins:
        return f"{requirement.name} ({requirement}) is in pyproject.toml but not pinned in {lock}"
    version = pins[name]
    if not version:
        return f"{requirement.name} is pinned in {lock} without hashes"
    if requirement.specifier and not requirement.specifier.contains(version, prereleases=True):
        return (
            f"{requirement.name}=={version} in {lock} is outside pyproject.toml's range "
            f"{requirement.specifier}"
        )
    return None


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(text) for text in project.get("dependencies", [])]
    dev = [Requirement(text) for text in project.get("optional-dependencies", {}).get("dev", [])]
    prod_pins, dev_pins = _pins(PROD_LOCK), _pins(DEV_LOCK)
    problems = []
    for requirement in runtime:
        problems += [
            problem
            for problem in (
                _check(requirement, PROD_LOCK, prod_pins),
                _check(requirement, DEV_LOCK, dev_pins),
            )
            if problem
        ]
        name = canonicalize_name(requirement.name)
        if prod_pins.get(name) and dev_pins.get(name) and prod_pins[name] != dev_pins[name]:
            problems.append(
                f"{requirement.name} is {prod_pins[name]} in {PROD_LOCK} but {dev_pins[name]} "
                f"in {DEV_LOCK} (the dev lock is constrained by the production one)"
            )
    problems += [p for r in dev if (p := _check(r, DEV_LOCK, dev_pins))]
    for problem in problems:
        print(f"lock check: {problem}", file=sys.stderr)
    if problems:
        print(
            "The lock files do not match pyproject.toml: run `make lock`, then `make install`, "
            "and commit pyproject.toml with both lock files.",
            file=sys.stderr,
        )
        return 1
    print(f"Lock files match pyproject.toml ({len(runtime)} dependencies, {len(dev)} for dev).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
