"""What a listing parser returns (defined with discovery, which every HTML listing goes through)."""

from crawler.discovery.model import Entry, Listing

__all__ = ["Entry", "Listing"]
