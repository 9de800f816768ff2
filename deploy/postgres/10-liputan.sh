#!/usr/bin/env bash
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): the Airflow metadata
# database and the Liputan database, each with its own login role. Passwords come from the
# container's environment (docker-compose.yml, from .env) and reach SQL as psql variables,
# never spliced into the text. Later starts skip this: the data volume already exists.
set -euo pipefail

: "${AIRFLOW_DB_PASSWORD:?}" "${LIPUTAN_DB_PASSWORD:?}" "${LIPUTAN_READER_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v airflow_password="$AIRFLOW_DB_PASSWORD" \
     -v liputan_password="$LIPUTAN_DB_PASSWORD" \
     -v reader_password="$LIPUTAN_READER_PASSWORD" <<'SQL'
-- Airflow's own tables.
CREATE ROLE airflow LOGIN PASSWORD :'airflow_password';
CREATE DATABASE airflow OWNER airflow;

-- Liputan. The group roles are those of sql/001_foundation.sql (which tolerates them
-- existing); the schema itself is created by `liputan db upgrade` in the airflow-init service.
CREATE ROLE liputan_writer NOLOGIN;
CREATE ROLE liputan_reader NOLOGIN;
-- The pipeline (Airflow connection liputan_db) and the consumers (news.* views only).
CREATE ROLE liputan LOGIN PASSWORD :'liputan_password' IN ROLE liputan_writer;
CREATE ROLE liputan_ro LOGIN PASSWORD :'reader_password' IN ROLE liputan_reader;
CREATE DATABASE liputan;
REVOKE ALL ON DATABASE liputan FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE liputan TO liputan_writer;
GRANT CONNECT ON DATABASE liputan TO liputan_reader;
SQL
