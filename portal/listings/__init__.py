"""Listing pages as the CMS families on Chinese government portals print them, with decoys.

Each family (``families.FAMILIES``, data only) lists the portal's column under ``/t/<name>/``
in its own URL shapes, markup, pager and script rendering, surrounded by the boxes real
pages carry (navigation with submenus, breadcrumbs, hot and recommended lists, tab strips of
other columns, friend links, footers). Decoy boxes link to documents of other columns in the
same URL shapes, so URL patterns alone cannot tell them apart. ``truth`` gives the column's
document URLs for scoring discovery.
"""

from portal.listings.families import FAMILIES, Family
from portal.listings.routes import article_url, resolve, start_url, truth

__all__ = ["FAMILIES", "Family", "article_url", "resolve", "start_url", "truth"]
