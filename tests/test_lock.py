"""requirements.lock (what `make install` and CI install) covers pyproject.toml's ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

__all__: list[str] = []

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
HASHED_PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+ \\\n\s+--hash=sha256:", re.MULTILINE)
RELOCK = "run `make lock` and commit requirements.lock"


def _pins() -> dict[str, Version]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): Version(version) for name, version in PIN.findall(text)}


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize("requirement", _declared(), ids=str)
def test_every_dependency_is_locked_within_its_range(requirement: Requirement) -> None:
    if requirement.marker is not None and not requirement.marker.evaluate({"extra": "test"}):
        pytest.skip(f"not for this platform: {requirement.marker}")
    pins = _pins()
    name = canonicalize_name(requirement.name)
    assert name in pins, f"{requirement.name} is not in requirements.lock: {RELOCK}"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"requirements.lock pins {name}=={pins[name]} outside {requirement}: {RELOCK}"
    )


def test_every_pin_has_hashes() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert len(HASHED_PIN.findall(text)) == len(PIN.findall(text)) > 0
