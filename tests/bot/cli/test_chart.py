"""`--chart FILE.png` of `funnelbot ask` and `funnelbot digest --dry-run`: the very chart
the Slack bot uploads, written as a PNG; a clear error (exit 1, no file) otherwise."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from bot.answers.context import metrics_context
from bot.answers.conversation import respond
from bot.cli._chart import answer_chart
from bot.core.config import load_settings
from bot.render.charts import DPI, SIZE_INCHES, Chart
from tests.bot.digests.conftest import seed_weeks
from tests.cli import run_funnelbot
from tests.conftest import Store

AS_OF = date(2026, 11, 25)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


@pytest.fixture
def demo_rows(store: Store) -> Store:
    seed_weeks(store)
    return store


def expected_chart(store: Store, question: str) -> Chart:
    """What the Slack bot would upload for `question` (drawn in this process)."""
    settings = load_settings(database_url=store.url)
    reply = respond(question, engine=store.engine, context=metrics_context(settings), today=AS_OF)
    chart = answer_chart(reply)
    assert chart is not None
    return chart


def assert_png_of(path: Path, chart: Chart) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        assert image.size == (round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI))
    assert data == chart.png


@sqlite_only
@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("trend leads last 6 weeks", "Leads"),
        ("leads by channel last month", "Leads · by channel"),
        ("funnel last month", "Funnel"),
    ],
    ids=["trend", "breakdown", "funnel"],
)
def test_ask_writes_the_answer_s_chart(
    demo_rows: Store, tmp_path: Path, question: str, title: str
) -> None:
    path = tmp_path / "answer.png"
    done = run_funnelbot(
        demo_rows.url, tmp_path, "ask", question, "--as-of", AS_OF.isoformat(), "--chart", str(path)
    )
    assert done.returncode == 0, done.stderr
    chart = expected_chart(demo_rows, question)
    assert chart.title.startswith(title)
    assert done.stderr.strip() == f"chart written to {path} ({chart.title})"
    assert_png_of(path, chart)


@sqlite_only
def test_ask_json_with_a_chart_keeps_stdout_json(demo_rows: Store, tmp_path: Path) -> None:
    path = tmp_path / "answer.png"
    done = run_funnelbot(
        demo_rows.url,
        tmp_path,
        *("ask", "funnel last month", "--json", "--as-of", AS_OF.isoformat(), "--chart", str(path)),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.lstrip().startswith("{")
    assert path.read_bytes().startswith(PNG_SIGNATURE)


@sqlite_only
def test_an_answer_without_a_chart_exits_1_and_writes_nothing(
    demo_rows: Store, tmp_path: Path
) -> None:
    path = tmp_path / "answer.png"
    done = run_funnelbot(
        demo_rows.url, tmp_path, "ask", "leads last month", "--as-of", AS_OF.isoformat(),
        "--chart", str(path),
    )  # fmt: skip
    assert done.returncode == 1
    assert "Leads" in done.stdout
    [line] = done.stderr.splitlines()
    assert line.startswith(f"error: this answer has no chart, so {path} was not written")
    assert not path.exists()


@sqlite_only
def test_an_unwritable_chart_path_is_one_line_and_exit_1(demo_rows: Store, tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "answer.png"
    done = run_funnelbot(
        demo_rows.url, tmp_path, "ask", "funnel last month", "--as-of", AS_OF.isoformat(),
        "--chart", str(path),
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: cannot write the chart to {path}: No such file or directory"
    ]
    assert not path.exists()


@sqlite_only
def test_digest_dry_run_writes_the_week_s_funnel(demo_rows: Store, tmp_path: Path) -> None:
    path = tmp_path / "digest.png"
    done = run_funnelbot(
        demo_rows.url, tmp_path, "digest", "--audience", "marketing", "--dry-run",
        "--as-of", AS_OF.isoformat(), "--chart", str(path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Marketing digest · 2026-W47" in done.stdout
    # The funnel of ISO week 47, as the digest's thread gets it.
    expected = expected_chart(demo_rows, "funnel 2026-W47")
    assert done.stderr.strip() == f"chart written to {path} ({expected.title})"
    assert_png_of(path, expected)


@sqlite_only
def test_digest_chart_needs_a_dry_run_and_data(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "digest.png"
    send = run_funnelbot(store.url, tmp_path, "digest", "--audience", "sales", "--chart", str(path))
    assert send.returncode == 1
    assert send.stderr.strip() == (
        "error: --chart writes the digest's chart to a file only with --dry-run"
    )
    empty = run_funnelbot(
        store.url, tmp_path, "digest", "--audience", "sales", "--dry-run",
        "--as-of", AS_OF.isoformat(), "--chart", str(path),
    )  # fmt: skip
    assert empty.returncode == 1
    assert empty.stderr.strip().startswith("error: this digest has no chart")
    assert not path.exists()
