"""The Slack app manifest: exactly the scopes, command, events and interactivity used."""

from __future__ import annotations

from typing import Any

import yaml

from bot.slack.server import EVENTS_PATH

__all__ = ["BOT_EVENTS", "BOT_SCOPES", "PLACEHOLDER_HOST", "app_manifest", "manifest_yaml"]

PLACEHOLDER_HOST = "https://YOUR-HOST"
APP_NAME = "funnelbot"
DESCRIPTION = "Answers SaaS funnel questions and posts weekly alignment digests."
COMMAND_DESCRIPTION = "Ask a funnel question"
USAGE_HINT = "cac last quarter for paid search"

# Each scope, with the call that needs it.
BOT_SCOPES = (
    "commands",  # the slash command
    "chat:write",  # chat.postMessage, chat.postEphemeral, chat.update
    "app_mentions:read",  # app_mention events
    "im:history",  # message.im events (direct messages)
    "files:write",  # files.getUploadURLExternal / completeUploadExternal (charts)
    "usergroups:read",  # usergroups.users.list ([access] restricted_viewers groups)
    "channels:history",  # digests: conversations.history finds a digest already posted
    "groups:history",  # the same in private channels
    # alerts and subscriptions: conversations.info / conversations.list tell whether the bot
    # is in the channel they are made for (public, private)
    "channels:read",
    "groups:read",
)
BOT_EVENTS = ("app_mention", "message.im", "app_home_opened")


def app_manifest(
    command: str, host: str | None = None, *, socket_mode: bool = False
) -> dict[str, Any]:
    """The manifest as data; request URLs point at `host` (a placeholder when None)."""
    request_url = (host or PLACEHOLDER_HOST).rstrip("/") + EVENTS_PATH
    slash_command: dict[str, Any] = {
        "command": command,
        "description": COMMAND_DESCRIPTION,
        "usage_hint": USAGE_HINT,
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        slash_command["url"] = request_url
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
    return {
        "display_information": {"name": APP_NAME, "description": DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "slash_commands": [slash_command],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(command: str, host: str | None = None, *, socket_mode: bool = False) -> str:
    manifest = app_manifest(command, host, socket_mode=socket_mode)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
