"""The kiosk's application core: configuration, domain rules and services.

Nothing in this package imports Kivy; screens/ builds the UI on top of it.
"""
__version__ = "0.1.0"
