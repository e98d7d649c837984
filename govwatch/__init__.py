"""govwatch: watch government portals for new documents and edits, keep a clean corpus."""

__version__ = "0.1.0"
