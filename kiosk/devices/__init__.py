"""The devices fitted to this terminal, opened from settings, and the services built directly on them."""
