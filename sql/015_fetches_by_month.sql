-- liputan.fetches partitioned by month of fetched_at (UTC), upgrading an existing database.
--
-- Why: fetches is the table that grows fastest (every request, with its body) and is written
-- and read almost only in its newest month; older months are read by reclean, provenance and
-- `liputan archive`. Per month, its indexes stay the size of a month, VACUUM and
-- `liputan archive --prune` touch one month's files, and an old month can be detached, moved
-- to cheaper storage or dropped once archived as WARC (docs/scale.md, "Partitions").
--
-- What changes for the code: nothing it writes or reads. fetch_id still comes from the
-- database (a sequence default now: PostgreSQL 15/16 have no identity on partitioned tables).
--
-- What PostgreSQL cannot do here and how it is kept:
-- * A primary key on a partitioned table must hold the partition key: it is
--   (fetch_id, fetched_at); fetch_id alone stays unique because only the sequence gives it.
-- * A foreign key must reference a unique key, so the five references to fetch_id
--   (documents, article_versions, article_fetches, load_rejections, articles.version_fetch_id)
--   are checked by triggers instead: a row naming a fetch that does not exist is refused
--   (23503, as a foreign key would), deleting a fetch deletes its document (ON DELETE CASCADE
--   as before) and is refused while an article, version or rejection names it.
-- * The unique (warc_file, warc_record_id) of import-warc holds fetched_at too: one record has
--   one WARC-Date, so one record still gives one fetch.
--
-- Months: liputan.add_fetch_months(from_time, to_time) creates the months between two times (the
-- crawl and import-warc ask for the months of each batch before writing it); a row of a month
-- that has no partition yet lands in liputan.fetches_default and moves to its month when that
-- month is created, so a write never fails for want of a partition.
--
-- The upgrade copies every row once (the old table is dropped at the end, in the same
-- transaction): on a large database, run it in a quiet hour; it needs the table's size free.

-- 1. The old table aside, without its keys and indexes (their names are reused below).
ALTER TABLE liputan.documents DROP CONSTRAINT documents_fetch_id_fkey;
ALTER TABLE liputan.article_versions DROP CONSTRAINT article_versions_fetch_id_fkey;
ALTER TABLE liputan.article_fetches DROP CONSTRAINT article_fetches_fetch_id_fkey;
ALTER TABLE liputan.load_rejections DROP CONSTRAINT load_rejections_fetch_id_fkey;
ALTER TABLE liputan.articles DROP CONSTRAINT articles_version_fetch_id_fkey;
ALTER TABLE liputan.fetches DROP CONSTRAINT fetches_pkey,
                            DROP CONSTRAINT fetches_crawl_run_id_fkey,
                            DROP CONSTRAINT fetches_kind_check,
                            DROP CONSTRAINT fetches_discovered_via_check;
DROP INDEX liputan.fetches_run, liputan.fetches_source_url, liputan.fetches_not_modified,
           liputan.fetches_unarchived, liputan.fetches_warc_record,
           liputan.fetches_source_final_url;
ALTER TABLE liputan.fetches RENAME TO fetches_unpartitioned;

-- 2. The partitioned table: the same columns in the same order.
CREATE SEQUENCE liputan.fetch_ids AS bigint;
CREATE TABLE liputan.fetches (
    fetch_id            bigint      NOT NULL DEFAULT nextval('liputan.fetch_ids'),
    crawl_run_id        bigint      NOT NULL REFERENCES liputan.crawl_runs,
    source              text        NOT NULL,
    url                 text        NOT NULL,
    canonical_url       text        NOT NULL,
    final_url           text,
    kind                text        NOT NULL
                        CHECK (kind IN ('article', 'listing', 'feed', 'sitemap', 'robots')),
    discovered_via      text        NOT NULL
                        CHECK (discovered_via IN ('feed', 'sitemap', 'listing', 'link', 'config',
                                                  'robots', 'warc')),
    discovered_from     text,
    fetched_at          timestamptz NOT NULL,
    elapsed_ms          integer,
    http_status         integer,
    reason              text,
    content_type        text,
    headers             jsonb       NOT NULL DEFAULT '{}',
    body_gz             bytea,
    body_sha256         bytea,
    body_bytes          integer,
    warc_file           text,
    warc_offset         bigint,
    warc_record_id      text,
    listed_published_at timestamptz,
    PRIMARY KEY (fetch_id, fetched_at)
) PARTITION BY RANGE (fetched_at);
ALTER SEQUENCE liputan.fetch_ids OWNED BY liputan.fetches.fetch_id;
-- The body is already compressed: spare TOAST a second, useless attempt (new partitions
-- inherit the setting).
ALTER TABLE liputan.fetches ALTER COLUMN body_gz SET STORAGE EXTERNAL;
CREATE TABLE liputan.fetches_default PARTITION OF liputan.fetches DEFAULT;
COMMENT ON TABLE liputan.fetches IS
    'Every fetch attempt, by month of fetched_at (partitions fetches_yYYYYmMM; '
    'liputan.add_fetch_months creates them; fetches_default holds rows of months not created '
    'yet). fetch_id is unique: only the sequence liputan.fetch_ids gives it.';

-- 3. Months are made by one function, used by this upgrade, the crawl and import-warc.
-- SECURITY DEFINER: the pipeline's role writes fetches but does not own the table; it may
-- create months through this function and nothing else.
CREATE FUNCTION liputan.add_fetch_months(from_time timestamptz, to_time timestamptz)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    start_at timestamptz;
    lo       timestamptz;
    hi       timestamptz;
    part     text;
    created  integer := 0;
BEGIN
    FOR start_at IN SELECT generate_series(date_trunc('month', from_time),
                                           date_trunc('month', to_time), interval '1 month')
    LOOP
        part := to_char(start_at, '"fetches_y"YYYY"m"MM');
        CONTINUE WHEN to_regclass('liputan.' || part) IS NOT NULL;
        -- Two crawls reaching a new month at once: one creates it, the other finds it.
        PERFORM pg_advisory_xact_lock(hashtext('liputan.add_fetch_months'));
        CONTINUE WHEN to_regclass('liputan.' || part) IS NOT NULL;
        lo := start_at;
        hi := start_at + interval '1 month';
        IF EXISTS (SELECT 1 FROM liputan.fetches_default
                   WHERE fetched_at >= lo AND fetched_at < hi) THEN
            -- The default partition holds rows of this month: it may not stay attached while
            -- the month is created. The rows are copied into their month before they leave
            -- the default, so the delete trigger sees each fetch still stored.
            ALTER TABLE liputan.fetches DETACH PARTITION liputan.fetches_default;
            EXECUTE format('CREATE TABLE liputan.%I PARTITION OF liputan.fetches '
                           'FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
            INSERT INTO liputan.fetches
            SELECT * FROM liputan.fetches_default WHERE fetched_at >= lo AND fetched_at < hi;
            DELETE FROM liputan.fetches_default WHERE fetched_at >= lo AND fetched_at < hi;
            ALTER TABLE liputan.fetches ATTACH PARTITION liputan.fetches_default DEFAULT;
        ELSE
            EXECUTE format('CREATE TABLE liputan.%I PARTITION OF liputan.fetches '
                           'FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
        END IF;
        created := created + 1;
        RAISE NOTICE 'liputan.fetches: created month %', part;
    END LOOP;
    RETURN created;
END $$;
COMMENT ON FUNCTION liputan.add_fetch_months(timestamptz, timestamptz) IS
    'Creates the monthly partitions of liputan.fetches from from_time to to_time (UTC months) '
    'that do not exist yet, moving their rows out of fetches_default; returns how many it created.';

-- 4. The rows, into their months.
DO $$
DECLARE
    start_at timestamptz;
BEGIN
    FOR start_at IN SELECT DISTINCT date_trunc('month', fetched_at, 'UTC')
                    FROM liputan.fetches_unpartitioned
                    UNION SELECT date_trunc('month', now(), 'UTC')
    LOOP
        PERFORM liputan.add_fetch_months(start_at, start_at);
    END LOOP;
END $$;
INSERT INTO liputan.fetches SELECT * FROM liputan.fetches_unpartitioned;
SELECT setval('liputan.fetch_ids',
              greatest((SELECT max(fetch_id) FROM liputan.fetches), 1),
              (SELECT count(*) > 0 FROM liputan.fetches));

-- 5. The indexes, as before (built after the copy: faster than maintained during it).
CREATE INDEX fetches_run ON liputan.fetches (crawl_run_id);
CREATE INDEX fetches_source_url ON liputan.fetches (source, canonical_url, fetched_at DESC);
CREATE INDEX fetches_not_modified ON liputan.fetches (fetch_id) WHERE http_status = 304;
CREATE INDEX fetches_unarchived ON liputan.fetches (fetch_id)
    WHERE warc_file IS NULL AND body_gz IS NOT NULL;
CREATE UNIQUE INDEX fetches_warc_record ON liputan.fetches (warc_file, warc_record_id, fetched_at)
    WHERE warc_record_id IS NOT NULL;
CREATE INDEX fetches_source_final_url ON liputan.fetches (source, final_url)
    WHERE kind = 'article';

-- 6. The references to fetch_id, checked per statement (one query per statement, not per row).
CREATE FUNCTION liputan.fetch_reference_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing bigint;
BEGIN
    -- TG_ARGV[0]: the column naming the fetch. Only ids this statement introduced are
    -- checked (an UPDATE that leaves the id as it was needs no check).
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT n.%1$I FROM new_rows n WHERE n.%1$I IS NOT NULL '
                       'AND NOT EXISTS (SELECT 1 FROM liputan.fetches f '
                       '                WHERE f.fetch_id = n.%1$I) LIMIT 1', TG_ARGV[0])
        INTO missing;
    ELSE
        EXECUTE format('SELECT n.%1$I FROM new_rows n WHERE n.%1$I IS NOT NULL '
                       'AND NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.%1$I = n.%1$I) '
                       'AND NOT EXISTS (SELECT 1 FROM liputan.fetches f '
                       '                WHERE f.fetch_id = n.%1$I) LIMIT 1', TG_ARGV[0])
        INTO missing;
    END IF;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates its reference to liputan.fetches',
                        TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (%s)=(%s) is not present in table "fetches".',
                                  TG_ARGV[0], missing);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER documents_fetch_insert AFTER INSERT ON liputan.documents
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER documents_fetch_update AFTER UPDATE ON liputan.documents
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER article_versions_fetch_insert AFTER INSERT ON liputan.article_versions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER article_versions_fetch_update AFTER UPDATE ON liputan.article_versions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER article_fetches_fetch_insert AFTER INSERT ON liputan.article_fetches
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER article_fetches_fetch_update AFTER UPDATE ON liputan.article_fetches
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER load_rejections_fetch_insert AFTER INSERT ON liputan.load_rejections
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER load_rejections_fetch_update AFTER UPDATE ON liputan.load_rejections
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('fetch_id');
CREATE TRIGGER articles_version_fetch_insert AFTER INSERT ON liputan.articles
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('version_fetch_id');
CREATE TRIGGER articles_version_fetch_update AFTER UPDATE ON liputan.articles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION liputan.fetch_reference_check('version_fetch_id');

-- Deleting a fetch: per row, so that a delete from one month's partition is seen too.
CREATE FUNCTION liputan.fetch_delete_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Still stored: the row moved to another partition (an UPDATE of fetched_at, or
    -- add_fetch_months taking it out of the default partition), it was not deleted.
    IF EXISTS (SELECT 1 FROM liputan.fetches WHERE fetch_id = OLD.fetch_id) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM liputan.article_fetches WHERE fetch_id = OLD.fetch_id)
       OR EXISTS (SELECT 1 FROM liputan.article_versions WHERE fetch_id = OLD.fetch_id)
       OR EXISTS (SELECT 1 FROM liputan.load_rejections WHERE fetch_id = OLD.fetch_id)
       OR EXISTS (SELECT 1 FROM liputan.articles WHERE version_fetch_id = OLD.fetch_id) THEN
        RAISE EXCEPTION 'delete on table "fetches" violates a reference to it'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (fetch_id)=(%s) is still referenced by an article.',
                                  OLD.fetch_id);
    END IF;
    DELETE FROM liputan.documents WHERE fetch_id = OLD.fetch_id;
    RETURN NULL;
END $$;
CREATE TRIGGER fetches_delete AFTER DELETE ON liputan.fetches
    FOR EACH ROW EXECUTE FUNCTION liputan.fetch_delete_check();

-- fetch_id never changes: the references follow it.
CREATE FUNCTION liputan.fetch_id_unchanged() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'fetch_id of a fetch does not change (% -> %)', OLD.fetch_id, NEW.fetch_id
        USING ERRCODE = 'foreign_key_violation';
END $$;
CREATE TRIGGER fetches_id_unchanged BEFORE UPDATE OF fetch_id ON liputan.fetches
    FOR EACH ROW WHEN (OLD.fetch_id IS DISTINCT FROM NEW.fetch_id)
    EXECUTE FUNCTION liputan.fetch_id_unchanged();

-- 7. The views over fetches, pointed at the new table (same definitions as 001, 004, 009).
CREATE OR REPLACE VIEW news.article_urls AS
SELECT af.article_id, f.url, f.final_url, f.http_status, f.fetched_at, f.crawl_run_id,
       f.discovered_via, f.discovered_from, f.canonical_url, af.version, af.outcome, f.fetch_id
FROM liputan.article_fetches af
JOIN liputan.fetches f USING (fetch_id);

CREATE OR REPLACE VIEW news.crawl_runs AS
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

CREATE OR REPLACE VIEW news.load_rejections AS
SELECT r.fetch_id, f.source, f.url, f.crawl_run_id, r.reason, r.detail, r.rejected_at
FROM liputan.load_rejections r
JOIN liputan.fetches f USING (fetch_id);

CREATE OR REPLACE VIEW news.skipped_pages AS
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

DROP TABLE liputan.fetches_unpartitioned;

-- ---------------------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE, DELETE ON liputan.fetches TO liputan_writer;
GRANT USAGE, SELECT ON SEQUENCE liputan.fetch_ids TO liputan_writer;
REVOKE ALL ON FUNCTION liputan.add_fetch_months(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION liputan.add_fetch_months(timestamptz, timestamptz) TO liputan_writer;
REVOKE ALL ON FUNCTION liputan.fetch_reference_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION liputan.fetch_delete_check() FROM PUBLIC;
REVOKE ALL ON FUNCTION liputan.fetch_id_unchanged() FROM PUBLIC;
