"""A listing page loaded once in headless Chromium, for a probe of a source with ``render``.

The crawler renders through ``crawler.middlewares.render``; this is the blocking twin for a
probe. Without Playwright or Chromium it reports why and returns nothing.
"""

from __future__ import annotations

import importlib.util

from crawler.middlewares.challenge import CHROMIUM_ARGS, chromium_path
from crawler.middlewares.render import SETTLE_MS


class RenderUnavailable(RuntimeError):
    """Playwright or Chromium is missing, or the browser failed."""


def render_page(url: str, timeout: float = 30.0, user_agent: str | None = None) -> str:
    """The page's DOM after its scripts ran, as HTML."""
    if importlib.util.find_spec("playwright") is None:
        raise RenderUnavailable("Playwright is not installed")
    executable = chromium_path(None)
    if executable is None:
        raise RenderUnavailable("Chromium is not installed")
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                             headless=True)
            try:
                page = browser.new_context(user_agent=user_agent).new_page()
                page.goto(url, wait_until="load", timeout=timeout * 1000)
                page.wait_for_timeout(SETTLE_MS)
                return page.content()
            finally:
                browser.close()
    except Error as exc:
        raise RenderUnavailable(f"the browser failed: {exc}") from exc
