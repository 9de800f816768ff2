"""Sources: the default sources files (YAML) and the tools that write and check them.

- `indonesia.yaml`: the outlets `make run` crawls (every key: docs/crawl.md);
- `discover.py`: `liputan sources discover URL`, a homepage to a ready sources-file entry;
- `check.py`: `liputan sources check`, each source's feeds, sitemaps and start URLs judged on
  the live web (and `broken_sources`, the same for a scheduler);
- `pattern.py`: an `article_url_pattern` learnt from example article URLs;
- `fetcher.py`: the small synchronous HTTP client both use, under the crawl's rules.
"""
