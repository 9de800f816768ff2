"""Raw pages as WARC: stored fetches out to WARC.gz files, web archives in as fetches.

docs/scale.md, "Bodies out of PostgreSQL" and "Backfill from web archives".
"""
