"""The Slack app: Bolt listeners, answering after the ack, delivery, App Home and the HTTP
and Socket Mode servers (the Block Kit and charts they post are drawn by `bot.render`)."""
