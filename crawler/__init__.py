"""Liputan: crawl, clean and keep every outlet's coverage of the news in PostgreSQL.

One subpackage per pipeline step (fetch, clean, load, stories): README.md, "Architecture".
"""

__version__ = "0.1.0"
