"""The platform API seen from the kiosk: the wire contract, typed results, request signing, the client and the outbox."""
