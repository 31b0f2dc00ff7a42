"""The repository is all a reader has: no tracked file links or points outside it.

Markdown links must resolve to a tracked file inside the repository (a link escaping the
root, an absolute path or a missing file fails), and no file names a path of the machine it
was written on or the specification it was built from.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest

__all__: list[str] = []

ROOT = Path(__file__).resolve().parent.parent
# Written in pieces so this file does not match itself.
FORBIDDEN = ("/" + "work/", "shared" + "/spec")
# [text](target) and [text]: target; the target ends at whitespace or the closing parenthesis.
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:


def _tracked_files() -> list[PurePosixPath]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the tracked files are unknown")
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    return [PurePosixPath(name) for name in listing.split("\0") if name]


def _text(path: PurePosixPath) -> str | None:
    try:
        return (ROOT / path).read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None


def _link_targets(markdown: str) -> list[str]:
    without_code = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    without_code = re.sub(r"`[^`\n]*`", "", without_code)
    return INLINE_LINK.findall(without_code) + REFERENCE_LINK.findall(without_code)


def _link_problem(source: PurePosixPath, target: str, tracked: set[str]) -> str | None:
    """Why a link of `source` leaves the repository or leads nowhere; None when it is fine."""
    if EXTERNAL.match(target) or target.startswith("#"):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
    if path.startswith("/"):
        return "an absolute path"
    resolved = (ROOT / source.parent / path).resolve()
    if not resolved.is_relative_to(ROOT):
        return "outside the repository"
    relative = resolved.relative_to(ROOT).as_posix()
    if relative not in tracked and not any(name.startswith(relative + "/") for name in tracked):
        return "no such file in the repository"
    return None


def test_no_markdown_link_leaves_the_repository() -> None:
    files = _tracked_files()
    tracked = {path.as_posix() for path in files}
    problems: list[str] = []
    for path in files:
        if path.suffix != ".md":
            continue
        markdown = _text(path)
        if markdown is None:
            continue
        for target in _link_targets(markdown):
            problem = _link_problem(path, target, tracked)
            if problem is not None:
                problems.append(f"{path}: ({target}) is {problem}")
    assert problems == []


def test_no_file_points_outside_the_repository() -> None:
    problems: list[str] = []
    for path in _tracked_files():
        text = _text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            problems.extend(f"{path}:{number}: {word}" for word in FORBIDDEN if word in line)
    assert problems == []


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("../shared/data.md", "outside the repository"),
        ("/etc/passwd", "an absolute path"),
        ("docs/nowhere.md", "no such file in the repository"),
        ("docs/data.md#key-columns", None),
        ("https://api.slack.com/", None),
        ("#a-heading", None),
    ],
)
def test_the_link_check_tells_inside_from_outside(target: str, problem: str | None) -> None:
    tracked = {"docs/data.md", "README.md"}
    assert _link_problem(PurePosixPath("README.md"), target, tracked) == problem
