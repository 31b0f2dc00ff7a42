"""Alerts: a figure checked on every complete period, posted when it breaks and recovers."""
