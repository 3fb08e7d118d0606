"""Sandbox of the "政务一网通" platform: the contract the kiosk is a client of,
implemented over real HTTP (FastAPI + uvicorn) with SQLite persistence.

Run it with `python -m sandbox --port 8700 --db var/sandbox.db`; docs/PLATFORM.md
describes the API, the rules it enforces and the admin operations.
"""
