"""When to look at a known document again, and which ones a run's request budget buys.

``policy`` holds the pure revisit policy (the crawler, the tracker and the freshness
benchmark all drive the same functions); ``budget`` picks a run's revisits from the due
documents the planning query (``storage.revisits``) returns.
"""
