"""Scrapy spiders of Liputan (`scrapy crawl news -a source=NAME`; docs/crawl.md)."""
