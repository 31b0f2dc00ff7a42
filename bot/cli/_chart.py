"""`--chart FILE.png` of `funnelbot ask` and `funnelbot digest --dry-run`: the chart Slack
would get, written to a file (matplotlib is imported only when one is asked for)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli._common import err_console, fail

if TYPE_CHECKING:
    from bot.answers.replies import Reply
    from bot.digests.builder import Digest
    from bot.render.charts import Chart

__all__ = [
    "NO_ANSWER_CHART",
    "NO_DIGEST_CHART",
    "ChartOption",
    "answer_chart",
    "digest_chart_of",
    "write_chart",
]

ChartOption = Annotated[
    Path | None,
    typer.Option(
        "--chart",
        metavar="FILE.png",
        help="Also write the chart Slack would get to FILE.png (exit 1 when there is none).",
        dir_okay=False,
    ),
]
NO_ANSWER_CHART = (
    "this answer has no chart, so {path} was not written (charts are drawn for trends, "
    "breakdowns and the funnel: e.g. 'trend mqls last 6 months', 'cac by channel last "
    "quarter', 'funnel last month')"
)
NO_DIGEST_CHART = (
    "this digest has no chart, so {path} was not written (the week has no funnel volumes)"
)
WRITTEN = "chart written to {path} ({title})"


def answer_chart(reply: Reply) -> Chart | None:
    """The chart the Slack bot would upload with `reply`, or None."""
    from bot.answers.replies import Answered
    from bot.render.charts import chart_for

    if not isinstance(reply, Answered):
        return None
    return chart_for(reply.answer, reply.currency, reply.language)


def digest_chart_of(digest: Digest) -> Chart | None:
    """The funnel chart the digest's thread would get, or None."""
    from bot.digests.render import digest_chart

    return digest_chart(digest)


def write_chart(chart: Chart | None, path: Path, missing: str) -> None:
    """Write `chart` to `path`; one line on stderr and exit 1 when there is no chart
    (`missing`, nothing written) or the file cannot be written."""
    if chart is None:
        fail(missing.format(path=path))
    try:
        path.write_bytes(chart.png)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        fail(f"cannot write the chart to {path}: {reason}")
    err_console().print(WRITTEN.format(path=path, title=chart.title), markup=False)
