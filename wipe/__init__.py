"""Erase everything a session produced, prove it, and survive crashes."""
