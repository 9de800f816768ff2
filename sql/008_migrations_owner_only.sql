-- liputan.schema_migrations is the migration runner's record (crawler/db/migrate.py), written
-- only by `liputan db upgrade` as the database owner. 001's
-- `GRANT ... ON ALL TABLES IN SCHEMA liputan TO liputan_writer` also reached it (the runner
-- creates it before 001 runs), so the pipeline's role could insert a version and make a
-- migration look applied without it being so. The writer keeps SELECT: `liputan db status`,
-- and the no-op upgrade that `liputan crawl` and `liputan run` start with, read it.

REVOKE ALL ON liputan.schema_migrations FROM liputan_writer;
GRANT SELECT ON liputan.schema_migrations TO liputan_writer;
