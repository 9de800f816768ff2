-- Foundation: pipeline state in schema `liputan`, the consumer interface in schema `news`,
-- and the two roles. Data flows one way: crawl runs -> fetches (raw pages) -> documents
-- (cleaned pages) -> articles (+ versions, provenance) -> news.* views.
--
-- Conventions for every later migration:
--   * tables live in `liputan`; consumers only ever see views in `news`;
--   * end with the GRANTs for what the file created (see the bottom of this file);
--   * no BEGIN/COMMIT: the runner wraps each file in one transaction.

CREATE SCHEMA IF NOT EXISTS liputan;
CREATE SCHEMA IF NOT EXISTS news;
COMMENT ON SCHEMA liputan IS 'Liputan pipeline state. Internal: may change between releases.';
COMMENT ON SCHEMA news IS 'Liputan consumer interface: stable views over the pipeline state.';

-- Roles are cluster-wide and may already exist (another database, a concurrent migration).
DO $$
BEGIN
    CREATE ROLE liputan_writer NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
    CREATE ROLE liputan_reader NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
COMMENT ON ROLE liputan_writer IS 'Liputan pipeline: reads and writes liputan.*, reads news.*';
COMMENT ON ROLE liputan_reader IS 'Liputan consumers: read news.* and nothing else';

-- Language code -> text search configuration. IMMUTABLE so it can feed a generated column.
CREATE FUNCTION liputan.ts_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE lower(split_part(coalesce(language, ''), '-', 1))
    WHEN 'id' THEN 'indonesian'::regconfig
    WHEN 'en' THEN 'english'::regconfig
    WHEN 'de' THEN 'german'::regconfig
    WHEN 'fr' THEN 'french'::regconfig
    WHEN 'es' THEN 'spanish'::regconfig
    WHEN 'pt' THEN 'portuguese'::regconfig
    WHEN 'it' THEN 'italian'::regconfig
    WHEN 'nl' THEN 'dutch'::regconfig
    ELSE 'simple'::regconfig
END;

-- One row per crawl of one source. A resumed crawl is a new run; a killed one stays 'running'
-- until a later run of the same source marks it 'interrupted'.
CREATE TABLE liputan.crawl_runs (
    crawl_run_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source        text        NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    status        text        NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
    params        jsonb       NOT NULL DEFAULT '{}',
    discovered    integer     NOT NULL DEFAULT 0,  -- distinct article URLs found by discovery
    stats         jsonb       NOT NULL DEFAULT '{}',
    error         text
);
CREATE INDEX crawl_runs_source_started ON liputan.crawl_runs (source, started_at DESC);

-- Every fetch attempt, successful or not, with how its URL was found and the raw body.
-- reason IS NULL means success (2xx, or 304 on a conditional request); otherwise it says why
-- there is no usable page: robots, dns, timeout, connection_reset, http_404, too_large, ...
CREATE TABLE liputan.fetches (
    fetch_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    crawl_run_id     bigint      NOT NULL REFERENCES liputan.crawl_runs,
    source           text        NOT NULL,
    url              text        NOT NULL,  -- as requested
    canonical_url    text        NOT NULL,  -- crawler.urls.canonicalize(url)
    final_url        text,                  -- after redirects
    kind             text        NOT NULL CHECK (kind IN ('article', 'listing', 'feed', 'sitemap')),
    discovered_via   text        NOT NULL
                     CHECK (discovered_via IN ('feed', 'sitemap', 'listing', 'link', 'config')),
    discovered_from  text,                  -- the feed, sitemap or page the URL was found on
    fetched_at       timestamptz NOT NULL,
    elapsed_ms       integer,
    http_status      integer,
    reason           text,
    content_type     text,
    headers          jsonb       NOT NULL DEFAULT '{}',  -- the useful response headers
    body_gz          bytea,                 -- gzip of the raw body, as received
    body_sha256      bytea,                 -- of the raw (uncompressed) body
    body_bytes       integer                -- raw (uncompressed) size
);
-- The body is already compressed: spare TOAST a second, useless attempt.
ALTER TABLE liputan.fetches ALTER COLUMN body_gz SET STORAGE EXTERNAL;
CREATE INDEX fetches_run ON liputan.fetches (crawl_run_id);
CREATE INDEX fetches_source_url ON liputan.fetches (source, canonical_url, fetched_at DESC);

-- The cleaned form of a fetched page, by the extractor version that produced it. Pages that
-- are not articles stay here with a reason; they never become articles.
CREATE TABLE liputan.documents (
    fetch_id           bigint      PRIMARY KEY REFERENCES liputan.fetches ON DELETE CASCADE,
    extractor_version  text        NOT NULL,
    cleaned_at         timestamptz NOT NULL DEFAULT now(),
    is_article         boolean     NOT NULL,
    reason             text,
    title              text,
    authors            text[]      NOT NULL DEFAULT '{}',
    published_at       timestamptz,
    language           text,
    site_name          text,
    canonical_url      text,
    description        text,
    image              text,
    categories         text[]      NOT NULL DEFAULT '{}',
    tags               text[]      NOT NULL DEFAULT '{}',
    text               text,
    text_sha256        bytea,
    word_count         integer,
    loaded_at          timestamptz,  -- NULL: not yet merged into articles by `liputan load`
    CHECK (is_article = (reason IS NULL))
);
CREATE INDEX documents_to_load ON liputan.documents (fetch_id) WHERE loaded_at IS NULL AND is_article;

-- One row per article (one canonical URL). The current text lives here; every text it ever
-- had lives in article_versions.
CREATE TABLE liputan.articles (
    article_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text        NOT NULL,
    canonical_url   text        NOT NULL UNIQUE,
    url             text        NOT NULL,  -- the first URL it was fetched from
    title           text,
    authors         text[]      NOT NULL DEFAULT '{}',
    published_at    timestamptz,
    language        text,
    site_name       text,
    description     text,
    image           text,
    categories      text[]      NOT NULL DEFAULT '{}',
    tags            text[]      NOT NULL DEFAULT '{}',
    text            text        NOT NULL,
    text_sha256     bytea       NOT NULL,
    word_count      integer     NOT NULL,
    version         integer     NOT NULL DEFAULT 1,
    duplicate_of    bigint      REFERENCES liputan.articles,
    duplicate_kind  text        CHECK (duplicate_kind IN ('exact', 'near')),
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(liputan.ts_config(language), coalesce(title, '')), 'A')
        || setweight(to_tsvector(liputan.ts_config(language), text), 'B')
    ) STORED,
    CHECK ((duplicate_of IS NULL) = (duplicate_kind IS NULL))
);
CREATE INDEX articles_search ON liputan.articles USING gin (search);
CREATE INDEX articles_source_published ON liputan.articles (source, published_at DESC);
CREATE INDEX articles_published ON liputan.articles (published_at DESC);
CREATE INDEX articles_text_sha256 ON liputan.articles (text_sha256);
CREATE INDEX articles_duplicate_of ON liputan.articles (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE TABLE liputan.article_versions (
    article_id   bigint      NOT NULL REFERENCES liputan.articles,
    version      integer     NOT NULL,
    title        text,
    text         text        NOT NULL,
    text_sha256  bytea       NOT NULL,
    word_count   integer     NOT NULL,
    fetch_id     bigint      NOT NULL REFERENCES liputan.fetches,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Provenance: every fetch that led to an article, and what loading it did.
CREATE TABLE liputan.article_fetches (
    fetch_id    bigint  PRIMARY KEY REFERENCES liputan.fetches,
    article_id  bigint  NOT NULL REFERENCES liputan.articles,
    version     integer NOT NULL,
    outcome     text    NOT NULL CHECK (outcome IN ('new', 'updated', 'unchanged', 'duplicate'))
);
CREATE INDEX article_fetches_article ON liputan.article_fetches (article_id);

-- ---------------------------------------------------------------------------------------
-- The consumer interface. Views only: the tables above may change, these columns stay.

CREATE VIEW news.articles AS
SELECT a.article_id, a.source, a.url, a.canonical_url, a.title, a.authors, a.published_at,
       a.language, a.text, a.word_count, a.first_seen_at, a.last_seen_at,
       a.version, a.duplicate_of, a.duplicate_kind, a.site_name, a.description, a.image,
       a.categories, a.tags, a.search
FROM liputan.articles a;
COMMENT ON VIEW news.articles IS
    'One row per article (one canonical URL). search: tsvector of title (weight A) and text (B) '
    'in the article language''s configuration (indonesian, english, ... else simple).';

CREATE VIEW news.article_versions AS
SELECT v.article_id, v.version, v.title, v.text, v.word_count, v.created_at, v.fetch_id
FROM liputan.article_versions v;
COMMENT ON VIEW news.article_versions IS 'Every text an article has had; version 1 is the first.';

CREATE VIEW news.article_urls AS
SELECT af.article_id, f.url, f.final_url, f.http_status, f.fetched_at, f.crawl_run_id,
       f.discovered_via, f.discovered_from, f.canonical_url, af.version, af.outcome, f.fetch_id
FROM liputan.article_fetches af
JOIN liputan.fetches f USING (fetch_id);
COMMENT ON VIEW news.article_urls IS
    'Provenance: one row per fetch that led to an article, with how and where its URL was found.';

CREATE VIEW news.crawl_runs AS
SELECT r.crawl_run_id, r.source, r.started_at, r.finished_at, r.status, r.discovered,
       coalesce(f.fetched, 0)               AS fetched,
       coalesce(f.failed, 0)                AS failed,
       coalesce(f.failed_by_reason, '{}')   AS failed_by_reason,
       coalesce(o.articles_new, 0)          AS articles_new,
       coalesce(o.articles_updated, 0)      AS articles_updated,
       coalesce(o.articles_unchanged, 0)    AS articles_unchanged,
       coalesce(o.articles_duplicate, 0)    AS articles_duplicate,
       r.params, r.error
FROM liputan.crawl_runs r
LEFT JOIN LATERAL (
    SELECT sum(n) FILTER (WHERE reason IS NULL)::bigint     AS fetched,
           sum(n) FILTER (WHERE reason IS NOT NULL)::bigint AS failed,
           jsonb_object_agg(reason, n) FILTER (WHERE reason IS NOT NULL) AS failed_by_reason
    FROM (SELECT reason, count(*) AS n
          FROM liputan.fetches WHERE crawl_run_id = r.crawl_run_id
          GROUP BY reason) by_reason
) f ON true
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE af.outcome = 'new')       AS articles_new,
           count(*) FILTER (WHERE af.outcome = 'updated')   AS articles_updated,
           count(*) FILTER (WHERE af.outcome = 'unchanged') AS articles_unchanged,
           count(*) FILTER (WHERE af.outcome = 'duplicate') AS articles_duplicate
    FROM liputan.fetches f2
    JOIN liputan.article_fetches af USING (fetch_id)
    WHERE f2.crawl_run_id = r.crawl_run_id
) o ON true;
COMMENT ON VIEW news.crawl_runs IS
    'One row per crawl of one source: what was discovered, fetched, failed (by reason) and '
    'what loading its pages did to the articles.';

-- ---------------------------------------------------------------------------------------
-- Privileges: the reader sees news.* and nothing else; the writer runs the pipeline.

REVOKE ALL ON SCHEMA liputan FROM PUBLIC;
REVOKE ALL ON SCHEMA news FROM PUBLIC;
REVOKE ALL ON FUNCTION liputan.ts_config(text) FROM PUBLIC;
DO $$
BEGIN
    -- Temporary tables are the only thing PUBLIC may create by default; the reader gets none.
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO liputan_writer', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO liputan_reader', current_database());
END $$;

GRANT USAGE ON SCHEMA news TO liputan_reader, liputan_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA news TO liputan_reader, liputan_writer;
GRANT USAGE ON SCHEMA liputan TO liputan_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA liputan TO liputan_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA liputan TO liputan_writer;
GRANT EXECUTE ON FUNCTION liputan.ts_config(text) TO liputan_writer;
