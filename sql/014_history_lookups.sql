-- A crawl asks what is stored for the URLs of one feed, sitemap or page at a time
-- (crawler/fetch/store.py, LOOKUP_SQL) instead of loading its source's whole history: by
-- canonical URL (fetches_source_url, sql/001) and by the URL a redirect ended at (this index).
CREATE INDEX fetches_source_final_url ON liputan.fetches (source, final_url)
    WHERE kind = 'article';
