"""The terminal as one of a fleet: signed config updates, heartbeat and remote commands, maintenance, diagnostics, the technician PIN."""
