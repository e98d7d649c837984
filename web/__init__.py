"""The web app: dashboard, document history, diffs, search, feeds and a JSON API."""
