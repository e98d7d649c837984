"""``python -m portal``: serve the portal in the foreground for a person to look at."""

from __future__ import annotations

import argparse
import threading

from portal.site import Portal


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--articles", type=int, default=36)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--encoding", default="utf-8")
    args = parser.parse_args(argv)
    site = Portal(articles=args.articles, per_page=args.per_page, seed=args.seed,
                  encoding=args.encoding)
    with site.serve(host=args.host, port=args.port) as server:
        print(f"Serving {len(site.articles)} articles at {server.url}/")
        print(f"Listing: {site.listing_url}   (Ctrl-C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()


if __name__ == "__main__":
    main()
