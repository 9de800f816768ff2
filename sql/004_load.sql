-- Loading: what `liputan load` needs on top of 001 (crawler/load.py, docs/load.md).
--
-- 1. Full-text search off the merge's path. 001 computed articles.search as a generated
--    column: to_tsvector of a 550-word Indonesian text costs ~0.36 ms (measured), as much as
--    the rest of the merge per article. The column becomes a plain one, kept filled by a
--    trigger for every writer except the bulk load, which sets liputan.defer_search = 'on' in
--    its transactions and fills search in a set-based pass after its last batch
--    (liputan.article_search, same expression as 001). news.articles.search, its GIN index
--    and every query against it stay as they were.
-- 2. Near-duplicate fingerprints (MinHash sketch + LSH band keys, crawler/fingerprint.py).
-- 3. Load rejections with their reason (empty text, NUL bytes), and 304 lookups.
-- 4. Consumer views: news.article_duplicates, news.load_rejections.

ALTER TABLE liputan.articles ALTER COLUMN search DROP EXPRESSION;

CREATE FUNCTION liputan.article_search(language text, title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector(liputan.ts_config(language), coalesce(title, '')), 'A')
    || setweight(to_tsvector(liputan.ts_config(language), coalesce(body, '')), 'B');
COMMENT ON FUNCTION liputan.article_search(text, text, text) IS
    'The tsvector news.articles.search holds: title weight A, text weight B, in the language''s '
    'text search configuration.';

CREATE FUNCTION liputan.articles_fill_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := liputan.article_search(NEW.language, NEW.title, NEW.text);
    RETURN NEW;
END $$;

-- The WHEN clause keeps the bulk load free of any per-row trigger call.
CREATE TRIGGER articles_search_insert BEFORE INSERT ON liputan.articles
FOR EACH ROW WHEN (coalesce(current_setting('liputan.defer_search', true), '') <> 'on')
EXECUTE FUNCTION liputan.articles_fill_search();
CREATE TRIGGER articles_search_update BEFORE UPDATE OF title, text, language ON liputan.articles
FOR EACH ROW WHEN (coalesce(current_setting('liputan.defer_search', true), '') <> 'on')
EXECUTE FUNCTION liputan.articles_fill_search();

-- What the search pass still has to do (empty in a steady state).
CREATE INDEX articles_search_pending ON liputan.articles (article_id) WHERE search IS NULL;

-- The MinHash sketch of each article's current text, for near-duplicate search (NULL: too
-- short to judge). Its LSH band keys live in a btree-indexed table rather than a GIN-indexed
-- array: the load looks them up for every new article, and a GIN pending list is scanned in
-- full by every lookup (measured: ~1 ms each at 5,000 articles, growing with the table).
ALTER TABLE liputan.articles ADD COLUMN sketch integer[];  -- one value per bin, -1 = empty
-- Keys of an article's earlier versions stay: they only add candidates, and every candidate
-- is checked against the current sketch. Duplicates get none: a text close to a duplicate is
-- close to its original, which has them.
CREATE TABLE liputan.article_lsh (
    key         bigint NOT NULL,     -- one per band: a shared key makes a candidate
    article_id  bigint NOT NULL      -- liputan.articles; written by the load only
);
CREATE INDEX article_lsh_key ON liputan.article_lsh (key);

-- Documents the load refused, with why. A later re-clean that fixes the document loads it and
-- removes the row.
CREATE TABLE liputan.load_rejections (
    fetch_id     bigint      PRIMARY KEY REFERENCES liputan.fetches,
    reason       text        NOT NULL,  -- empty_text, nul_byte, ...
    detail       text,
    rejected_at  timestamptz NOT NULL DEFAULT now()
);

-- A 304 has no document; the load finds its article through the earlier fetches of its URL.
CREATE INDEX fetches_not_modified ON liputan.fetches (fetch_id) WHERE http_status = 304;

-- ---------------------------------------------------------------------------------------

CREATE VIEW news.article_duplicates AS
SELECT a.article_id, a.source, a.canonical_url, a.title, a.first_seen_at,
       a.duplicate_kind, a.duplicate_of,
       o.source AS original_source, o.canonical_url AS original_url, o.title AS original_title,
       o.first_seen_at AS original_first_seen_at
FROM liputan.articles a
JOIN liputan.articles o ON o.article_id = a.duplicate_of;
COMMENT ON VIEW news.article_duplicates IS
    'Articles whose text another, earlier article already had: exact (same text, e.g. wire '
    'copy) or near (small edits, MinHash estimate >= 0.8). duplicate_of is the first seen.';

CREATE VIEW news.load_rejections AS
SELECT r.fetch_id, f.source, f.url, f.crawl_run_id, r.reason, r.detail, r.rejected_at
FROM liputan.load_rejections r
JOIN liputan.fetches f USING (fetch_id);
COMMENT ON VIEW news.load_rejections IS 'Cleaned pages the load refused, and why.';

-- ---------------------------------------------------------------------------------------

GRANT SELECT ON news.article_duplicates, news.load_rejections TO liputan_reader, liputan_writer;
GRANT SELECT, INSERT, UPDATE, DELETE
    ON liputan.article_lsh, liputan.load_rejections
    TO liputan_writer;
REVOKE ALL ON FUNCTION liputan.article_search(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION liputan.articles_fill_search() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION liputan.article_search(text, text, text) TO liputan_writer;
GRANT EXECUTE ON FUNCTION liputan.articles_fill_search() TO liputan_writer;
