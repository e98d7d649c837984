"""Turn a government page's bytes into title, date, publisher, clean text and attachments.

The pipeline (see ``core``) is: decode the bytes, parse and prune the tree, pick the main
content, render it as paragraphs, clean the text line by line, then read the metadata.
Rules (selectors, phrases, spam markers) are data in ``rules``.
"""

from __future__ import annotations

import logging

from extractor.core import extract, extract_text
from extractor.model import Attachment, Extraction

__all__ = ["extract", "extract_text", "Extraction", "Attachment"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
