-- Classify, don't discard (docs/extract.md, "What is an article"):
--
-- 1. What an article says of itself besides its text: which rule gave its publication time,
--    the language its page declares, whether it is free or paywalled, and where a syndicated
--    text comes from (the outlet, URL and title its closing line names). On documents (as
--    clean writes them) and articles (as the load merges them), and in news.articles.
-- 2. news.skipped_pages: every article page fetched and not stored as an article, with the
--    reason, so that a coverage gap can be audited in SQL.

ALTER TABLE liputan.documents
    ADD COLUMN published_at_source text,
    ADD COLUMN declared_language   text,
    ADD COLUMN access              text CHECK (access IN ('free', 'paywalled')),
    ADD COLUMN origin_outlet       text,
    ADD COLUMN origin_url          text,
    ADD COLUMN origin_title        text;

ALTER TABLE liputan.articles
    ADD COLUMN published_at_source text,
    ADD COLUMN declared_language   text,
    ADD COLUMN access              text CHECK (access IN ('free', 'paywalled')),
    ADD COLUMN origin_outlet       text,
    ADD COLUMN origin_url          text,
    ADD COLUMN origin_title        text;

CREATE OR REPLACE VIEW news.articles AS
SELECT a.article_id, a.source, a.url, a.canonical_url, a.title, a.authors, a.published_at,
       a.language, a.text, a.word_count, a.first_seen_at, a.last_seen_at,
       a.version, a.duplicate_of, a.duplicate_kind, a.site_name, a.description, a.image,
       a.categories, a.tags, a.search,
       a.published_at_source, a.declared_language, a.access,
       a.origin_outlet, a.origin_url, a.origin_title
FROM liputan.articles a;
COMMENT ON VIEW news.articles IS
    'One row per article (one canonical URL). search: tsvector of title (weight A) and text (B) '
    'in the article language''s configuration (indonesian, english, ... else simple). '
    'published_at_source: the rule that gave published_at (json_ld, meta, time_element, text, '
    'url, feed, sitemap). language: of the text; declared_language: what the page says. '
    'access: free or paywalled (a paywalled teaser is coverage too). origin_*: where a '
    'syndicated text says it comes from.';

-- One row per article page (a fetch of kind article) that is not stored as an article:
--   stage fetch: the fetch failed (reason: robots, dns, timeout, http_404, too_large, ...);
--   stage clean: cleaned, not an article (listing, too_short, no_text, binary, ...) or
--                excluded by the source's choice (excluded_language, below_min_words);
--   stage load:  the load refused the document (news.load_rejections);
--   stage pending: fetched, not cleaned yet (reason not_cleaned) or cleaned, not loaded yet
--                  (reason not_loaded).
-- A 304 (not modified) is not skipped: it confirms the article stored from an earlier fetch.
CREATE VIEW news.skipped_pages AS
SELECT f.fetch_id, f.source, f.url, f.fetched_at, f.crawl_run_id, f.http_status,
       CASE WHEN f.reason IS NOT NULL THEN 'fetch'
            WHEN r.fetch_id IS NOT NULL THEN 'load'
            WHEN d.fetch_id IS NULL OR d.is_article THEN 'pending'
            ELSE 'clean' END AS stage,
       coalesce(f.reason, r.reason, d.reason,
                CASE WHEN d.fetch_id IS NULL THEN 'not_cleaned' ELSE 'not_loaded' END) AS reason,
       d.title, d.language, d.word_count, r.detail
FROM liputan.fetches f
LEFT JOIN liputan.documents d ON d.fetch_id = f.fetch_id
LEFT JOIN liputan.load_rejections r ON r.fetch_id = f.fetch_id
WHERE f.kind = 'article'
  AND (f.http_status IS DISTINCT FROM 304 OR f.reason IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM liputan.article_fetches af WHERE af.fetch_id = f.fetch_id);
COMMENT ON VIEW news.skipped_pages IS
    'Every article page fetched and not stored as an article, with the stage (fetch, clean, '
    'load, pending) and the reason: what coverage is missing, and why.';

GRANT SELECT ON news.articles, news.skipped_pages TO liputan_reader, liputan_writer;
