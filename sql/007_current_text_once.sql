-- Each text stored once: an article's current text in liputan.articles only, every other text
-- it has had in liputan.article_versions; news.article_versions shows both, as before.
--
-- 001 kept the current text twice (articles.text and its row in article_versions). Measured
-- with bench/load.py on 50,000 articles: the load took 14.0 s writing both copies and 9.7 s
-- without the second one (the extra ~200 MB of TOAST and WAL also pushed the indexes the
-- other statements need out of shared buffers). A text stops being current only when a newer
-- one replaces it; the load then moves it into article_versions in the same transaction.

-- Where the current text came from, as its article_versions row used to say.
ALTER TABLE liputan.articles
    ADD COLUMN version_fetch_id   bigint REFERENCES liputan.fetches,
    ADD COLUMN version_created_at timestamptz;

UPDATE liputan.articles a
SET version_fetch_id = v.fetch_id, version_created_at = v.created_at
FROM liputan.article_versions v
WHERE v.article_id = a.article_id AND v.version = a.version;

DELETE FROM liputan.article_versions v
USING liputan.articles a
WHERE v.article_id = a.article_id AND v.version = a.version;

COMMENT ON TABLE liputan.article_versions IS
    'Texts an article had besides its current one (which lives in liputan.articles).';

CREATE OR REPLACE VIEW news.article_versions AS
SELECT v.article_id, v.version, v.title, v.text, v.word_count, v.created_at, v.fetch_id
FROM liputan.article_versions v
UNION ALL
SELECT a.article_id, a.version, a.title, a.text, a.word_count, a.version_created_at,
       a.version_fetch_id
FROM liputan.articles a;
COMMENT ON VIEW news.article_versions IS
    'Every text an article has had, once each; version 1 is the first, news.articles.version '
    'the current one.';
