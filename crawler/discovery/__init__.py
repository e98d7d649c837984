"""Finding what a listing page lists, with no hand-written patterns; previewing a source.

``discover`` reads one listing response (the crawler calls it for every HTML or JSON
listing). ``crawler.discovery.preview.probe`` walks a source's listing pages the same way
and reports what a source starting there would watch (``govwatch probe``, the web app).
"""

from crawler.discovery.listing import discover

__all__ = ["discover"]
