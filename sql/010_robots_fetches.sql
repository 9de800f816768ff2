-- robots.txt fetches are fetches (provenance of every request the crawl makes):
--
-- * kind 'robots': a site's /robots.txt, fetched once per site and run before the first
--   request to that site (status, headers, body, fetch time; reason on failure as any fetch);
-- * discovered_via 'robots': the robots exclusion protocol led to the URL. A robots.txt row
--   says so with discovered_from = the request that needed the site's rules; a sitemap named
--   by a robots.txt `Sitemap:` line has discovered_from = that robots.txt.
--
-- 001 declared both checks inline, so PostgreSQL named them <table>_<column>_check.

ALTER TABLE liputan.fetches DROP CONSTRAINT fetches_kind_check;
ALTER TABLE liputan.fetches ADD CONSTRAINT fetches_kind_check
    CHECK (kind IN ('article', 'listing', 'feed', 'sitemap', 'robots'));

ALTER TABLE liputan.fetches DROP CONSTRAINT fetches_discovered_via_check;
ALTER TABLE liputan.fetches ADD CONSTRAINT fetches_discovered_via_check
    CHECK (discovered_via IN ('feed', 'sitemap', 'listing', 'link', 'config', 'robots'));
