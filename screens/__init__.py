"""Kivy screens and shared widgets; they call kiosk services, never drivers directly."""
