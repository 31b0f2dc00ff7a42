"""Core of the bot: settings, the clock, access rules, logging, stopping on a signal."""
