"""Liputan: crawl, clean and keep every outlet's coverage of the news in PostgreSQL."""

__version__ = "0.1.0"
