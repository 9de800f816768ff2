"""Step 1, fetch: discover and download each source's pages, store every fetch (docs/crawl.md)."""
