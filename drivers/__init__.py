"""Hardware adapters opened from URLs; they know nothing of Kivy or of the kiosk's domain."""
