"""Edits that end-to-end tests make to the local portal."""

from __future__ import annotations

import re

FIGURE = re.compile(r"\d+\.\d+")


def edit_a_figure(portal, article) -> tuple[str, str] | None:
    """Replace the article's first figure with one sharing no digit; returns (old, new)."""
    for paragraph in article.paragraphs:
        match = FIGURE.search(paragraph)
        if match:
            old = match.group()
            digit = next(d for d in "9876543210" if d not in old)
            new = f"{digit * 4}.{digit}"
            portal.edit(article.id, replace=(old, new))
            return old, new
    return None
