"""The Slack app: Bolt listeners, Block Kit, charts, delivery and the HTTP server."""
