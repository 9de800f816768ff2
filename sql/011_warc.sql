-- Raw pages as WARC (docs/scale.md, "Bodies out of PostgreSQL"):
--
-- * liputan.fetches.warc_file / warc_offset / warc_record_id: the WARC file (absolute path),
--   the byte offset of the fetch's response record in it (a gzip member of its own, so it is
--   read back with one seek) and that record's WARC-Record-ID. Set by `liputan archive` for
--   the fetches it wrote (their body_gz may then be pruned: `liputan clean --reclean` reads
--   the body back from the WARC), and by `liputan import-warc` for the records it ingested.
-- * discovered_via 'warc': a fetch ingested from a web archive (Common Crawl's CC-NEWS, ...).
-- * liputan.warc_imports: one row per WARC file `liputan import-warc` has finished, so a
--   rerun skips it; a file killed half-way has no row and resumes by record id.

ALTER TABLE liputan.fetches
    ADD COLUMN warc_file      text,
    ADD COLUMN warc_offset    bigint,
    ADD COLUMN warc_record_id text;
CREATE UNIQUE INDEX fetches_warc_record ON liputan.fetches (warc_file, warc_record_id)
    WHERE warc_record_id IS NOT NULL;
-- What `liputan archive` still has to write: fetches with a body and no WARC yet.
CREATE INDEX fetches_unarchived ON liputan.fetches (fetch_id)
    WHERE warc_file IS NULL AND body_gz IS NOT NULL;

ALTER TABLE liputan.fetches DROP CONSTRAINT fetches_discovered_via_check;
ALTER TABLE liputan.fetches ADD CONSTRAINT fetches_discovered_via_check
    CHECK (discovered_via IN ('feed', 'sitemap', 'listing', 'link', 'config', 'robots', 'warc'));

CREATE TABLE liputan.warc_imports (
    warc_file    text        PRIMARY KEY,  -- absolute path
    bytes        bigint      NOT NULL,
    records      integer     NOT NULL,     -- response records read
    fetches      integer     NOT NULL,     -- stored as fetches (the others: not our sources)
    finished_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE, DELETE ON liputan.warc_imports TO liputan_writer;
