"""The command-line tools: kiosk-provision, kiosk-selftest and kioskctl (admin)."""
