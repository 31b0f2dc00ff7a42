"""Renderers: a reply as terminal text, as Block Kit, as a PNG chart."""
