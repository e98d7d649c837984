"""CLI commands by topic: each module has ``register(app)``, called at the end of cli.py."""
