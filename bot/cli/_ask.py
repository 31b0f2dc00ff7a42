"""`funnelbot ask "QUESTION"` and `funnelbot chat`: the Slack bot's answers in a terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from bot.answers.context import metrics_context
from bot.answers.conversation import known_values, respond
from bot.answers.replies import Answered, Refusal
from bot.cli import app
from bot.cli._chart import NO_ANSWER_CHART, ChartOption, answer_chart, write_chart
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    err_console,
    open_store,
    out_console,
    parse_as_of,
    settings_for,
)
from bot.core.config import Settings
from bot.i18n import gettext
from bot.i18n.messages import EXAMPLES_HEADING, Chat, Wording
from bot.parser import Choice

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

__all__ = ["ask_command", "chat_command", "run_chat"]


@app.command("ask")
def ask_command(
    question: Annotated[str, typer.Argument(metavar="QUESTION", help="e.g. 'cac last quarter'")],
    *,
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer.")] = False,
    chart: ChartOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Answer one free-text question, as the Slack bot would (--chart: and its chart)."""
    settings = settings_for(database_url)
    today = parse_as_of(as_of, settings)
    engine = open_store(settings)
    reply = respond(question, engine=engine, context=metrics_context(settings), today=today)
    if isinstance(reply, Refusal):
        _refuse(reply)
    if as_json:
        typer.echo(json.dumps(reply.to_json(), ensure_ascii=False))
        if isinstance(reply, Answered) and reply.empty_store:
            # stdout stays the JSON answer; the reason for its n/a goes to stderr.
            note = gettext(Wording.EMPTY_STORE, reply.language)
            err_console().print(f"note: {note}", markup=False)
    else:
        from bot.render.text import render

        out_console().print(render(reply))
    if chart is not None:
        write_chart(answer_chart(reply), chart, NO_ANSWER_CHART)


def _refuse(reply: Refusal) -> None:
    """The reason on one line, then the examples; exit status 1."""
    err_console().print(f"error: {reply.text}", markup=False)
    for choice in reply.choices:
        err_console().print(f"  {choice.label}: funnelbot ask {choice.question!r}", markup=False)
    if not reply.choices:
        err_console().print(gettext(EXAMPLES_HEADING, reply.language), markup=False)
        for example in reply.examples:
            err_console().print(f"  {example}", markup=False)
    raise typer.Exit(1)


@app.command("chat")
def chat_command(
    *,
    as_of: AsOfOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Ask questions one after another; quit with Ctrl-D or "quit"."""
    settings = settings_for(database_url)
    today = parse_as_of(as_of, settings)
    run_chat(open_store(settings), settings, today, out_console())


def _line_editing() -> None:
    """Arrow keys and history for `input()` where the platform has readline."""
    try:
        import readline  # noqa: F401 - importing it is what enables line editing
    except ImportError:
        return


def run_chat(
    engine: Engine,
    settings: Settings,
    today: date,
    console: Console,
    read: Callable[[str], str] = input,
) -> None:
    """The interactive prompt (`funnelbot chat`, and the end of `funnelbot demo`)."""
    from bot.render.text import render

    _line_editing()
    context = metrics_context(settings)
    known = known_values(engine)
    console.print(Chat.WELCOME.format(today=today.isoformat()), markup=False)
    offered: tuple[Choice, ...] = ()
    while True:
        try:
            text = _chosen(read(Chat.PROMPT).strip(), offered)
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.casefold() in Chat.QUIT_WORDS:
            return
        if text:
            reply = respond(text, engine=engine, context=context, today=today, known=known)
            offered = reply.choices if isinstance(reply, Refusal) else ()
            console.print(render(reply))
            console.print()


def _chosen(text: str, offered: tuple[Choice, ...]) -> str:
    """A number typed after a question was asked back is the question it stands for."""
    if text.isdigit() and 1 <= int(text) <= len(offered):
        return offered[int(text) - 1].question
    return text
