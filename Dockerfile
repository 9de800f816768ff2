# Liputan on Airflow: the official Airflow image with this project installed.
#
#   docker compose build        (see docker-compose.yml and docs/airflow.md)
#
# Airflow is pinned to the image's own version while installing, so pip cannot replace it
# (the official image's documented way of adding packages).
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}
ARG AIRFLOW_VERSION

# pip builds the project in its own folder (egg-info): the airflow user must own it.
USER root
RUN mkdir -p /opt/liputan && chown airflow:0 /opt/liputan
USER airflow
WORKDIR /opt/liputan

COPY --chown=airflow:0 pyproject.toml README.md ./
COPY --chown=airflow:0 crawler ./crawler
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" ".[airflow]"

# Migrations are read from here by `liputan db upgrade` (the package alone does not carry them).
COPY --chown=airflow:0 sql ./sql
COPY --chown=airflow:0 dags /opt/airflow/dags
ENV LIPUTAN_MIGRATIONS=/opt/liputan/sql

WORKDIR /opt/airflow
