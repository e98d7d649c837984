"""Downloader middlewares: fetching concerns kept out of the spider (see ``crawler.settings``)."""
