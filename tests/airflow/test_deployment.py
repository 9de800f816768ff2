"""The Docker deployment, checked without a Docker engine: docker-compose.yml parsed (services,
health checks, start order, volumes, the celery profile, no secret in the file), the image
recipe, .env.example, and the PostgreSQL first-start script run for real on a private server."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import psycopg
import pytest
import yaml
from psycopg.conninfo import conninfo_to_dict

from crawler.db.connect import with_database
from crawler.db.migrate import upgrade

REPO = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer")
INIT_SCRIPT = REPO / "deploy" / "postgres" / "10-liputan.sh"
# ${NAME}, ${NAME:-default}, ${NAME:?error}; `$${...}` is an escape for the container's shell.
VARIABLE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Z0-9_]+)(?P<op>:?[-?])?(?P<arg>[^}]*)\}")
SECRET_KEY = re.compile(r"PASSWORD|SECRET|FERNET|_CONN|BROKER_URL|RESULT_BACKEND")


def env_example() -> dict[str, str]:
    """KEY=value lines of .env.example, commented-out ones included (documented switches)."""
    values = {}
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            values[match.group(1)] = match.group(2).strip().strip('"')
    return values


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    return dict(env) if isinstance(env, dict) else dict(item.split("=", 1) for item in env)


def test_compose_runs_postgres_a_one_shot_init_and_the_four_airflow_services():
    assert {"postgres", "airflow-init", *AIRFLOW_SERVICES} <= set(SERVICES)
    for name in AIRFLOW_SERVICES:
        assert "profiles" not in SERVICES[name]
    assert [SERVICES[name]["command"] for name in AIRFLOW_SERVICES] == [
        "api-server", "scheduler", "dag-processor", "triggerer"]
    assert SERVICES["airflow-init"]["restart"] == "no"


def test_postgres_keeps_its_data_in_a_named_volume_and_reports_health():
    postgres = SERVICES["postgres"]
    assert "postgres-data:/var/lib/postgresql/data" in postgres["volumes"]
    assert "postgres-data" in COMPOSE["volumes"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    assert "pg_isready -h localhost" in " ".join(postgres["healthcheck"]["test"])


def test_every_long_running_service_has_a_healthcheck():
    for name, service in SERVICES.items():
        if name != "airflow-init":
            assert service.get("healthcheck", {}).get("test"), name


def test_airflow_waits_for_a_healthy_postgres_and_a_finished_init():
    assert SERVICES["airflow-init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in (*AIRFLOW_SERVICES, "airflow-worker", "flower"):
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["airflow-init"] == {"condition": "service_completed_successfully"}, name
        assert depends["redis"] == {"condition": "service_healthy", "required": False}, name


def test_init_migrates_airflow_then_liputan_then_creates_the_admin():
    script = SERVICES["airflow-init"]["command"][0]
    steps = ["set -euo pipefail", "airflow db migrate", "db upgrade", "airflow users create"]
    positions = [script.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "@postgres:5432/liputan" in script


def test_all_airflow_services_share_one_image_built_from_the_dockerfile():
    images = {SERVICES[name]["image"] for name in
              (*AIRFLOW_SERVICES, "airflow-init", "airflow-worker", "flower")}
    assert images == {"${LIPUTAN_IMAGE:-liputan-airflow:latest}"}
    assert SERVICES["airflow-scheduler"]["build"] == "."


def test_the_dags_reach_the_liputan_database_through_the_connection_liputan_db():
    env = environment(SERVICES["airflow-scheduler"])
    assert env["AIRFLOW_CONN_LIPUTAN_DB"].startswith("postgresql://liputan:${LIPUTAN_DB_PASSWORD")
    assert env["AIRFLOW_CONN_LIPUTAN_DB"].endswith("@postgres:5432/liputan")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].endswith("@postgres:5432/airflow")
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"


def test_no_secret_is_written_in_the_compose_file():
    checked = 0
    for name, service in SERVICES.items():
        for key, value in environment(service).items():
            value = str(value)
            if SECRET_KEY.search(key):
                checked += 1
                assert "${" in value, f"{name}: {key} is written in the file"
            # user:password@ in any URL: the password must be a variable.
            for password in re.findall(r"://[^:/@\s]*:([^@\s]*)@", value):
                assert password == "" or password.startswith("${"), f"{name}: {key}"
    assert checked >= 8
    for word in ("change-me", "airflow:airflow@", "POSTGRES_PASSWORD: postgres"):
        assert word not in COMPOSE_TEXT


def test_required_secrets_refuse_to_start_without_a_value():
    required = {m["name"] for m in VARIABLE.finditer(COMPOSE_TEXT) if m["op"] == ":?"}
    assert {"POSTGRES_PASSWORD", "AIRFLOW_DB_PASSWORD", "LIPUTAN_DB_PASSWORD",
            "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD",
            "REDIS_PASSWORD"} <= required


def test_every_variable_of_the_compose_file_is_documented_in_env_example():
    documented = env_example()
    used = {m["name"] for m in VARIABLE.finditer(COMPOSE_TEXT)}
    assert used - set(documented) == set()
    # The secrets come as placeholders, never as working values.
    for name in used:
        if SECRET_KEY.search(name) or name.endswith("_KEY"):
            assert documented[name] == "change-me", name


def test_env_file_is_ignored_by_git():
    assert ".env" in (REPO / ".gitignore").read_text(encoding="utf-8").split()
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == ""


def test_celery_profile_adds_redis_and_several_workers_on_the_same_image():
    for name in ("redis", "airflow-worker", "flower"):
        assert SERVICES[name]["profiles"] == ["celery"], name
    worker = SERVICES["airflow-worker"]
    assert worker["command"] == "celery worker"
    replicas = VARIABLE.fullmatch(str(worker["deploy"]["replicas"]))
    assert int(replicas["arg"]) >= 2
    assert "--requirepass" in SERVICES["redis"]["command"]
    env = environment(worker)
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:${REDIS_PASSWORD")
    # as in the recipe tests/airflow/test_live_celery.py runs: the driver named
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://")
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert env_example()["COMPOSE_PROFILES"] == "celery"


def test_image_extends_official_airflow_3_with_this_project_installed():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    version = re.search(r"^ARG AIRFLOW_VERSION=(\S+)$", dockerfile, re.MULTILINE).group(1)
    assert version.startswith("3.")
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}", dockerfile, re.MULTILINE)
    assert 'pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" ".[airflow]"' \
        in dockerfile
    assert "COPY --chown=airflow:0 dags /opt/airflow/dags" in dockerfile
    assert "ENV LIPUTAN_MIGRATIONS=/opt/liputan/sql" in dockerfile
    ignored = [line for line in (REPO / ".dockerignore").read_text(encoding="utf-8").split("\n")
               if line and not line.startswith("#")]
    assert ignored[0] == "*" and {"!crawler/", "!sql/", "!dags/"} <= set(ignored)


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A PostgreSQL of this test's own: the script creates cluster-wide roles."""
    from crawler.db.embedded import EmbeddedServer

    server = EmbeddedServer(tmp_path_factory.mktemp("deploy") / "pgdata", delete_on_exit=True)
    server.start()
    try:
        yield server.uri("postgres")
    finally:
        server.close()


def test_postgres_first_start_script_creates_both_databases_and_least_privilege_roles(
        private_server):
    script = INIT_SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"PASSWORD\s+'", script), "passwords only as psql variables"
    params = conninfo_to_dict(private_server)
    env = {**os.environ, "POSTGRES_USER": params.get("user") or "postgres",
           "PGHOST": params.get("host") or "localhost", "PGPORT": str(params.get("port") or 5432),
           "AIRFLOW_DB_PASSWORD": "a1", "LIPUTAN_DB_PASSWORD": "l1",
           "LIPUTAN_READER_PASSWORD": "r1"}
    subprocess.run(["bash", str(INIT_SCRIPT)], env=env, check=True, capture_output=True)

    liputan = with_database(private_server, "liputan")
    upgrade(liputan)   # what airflow-init does next, as the superuser
    with psycopg.connect(private_server) as conn:
        owners = dict(conn.execute(
            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database"
            " WHERE datname IN ('airflow', 'liputan')").fetchall())
    assert set(owners) == {"airflow", "liputan"} and owners["airflow"] == "airflow"
    with psycopg.connect(liputan) as conn:
        conn.execute("SET ROLE liputan")
        conn.execute("INSERT INTO liputan.crawl_runs (source) VALUES ('deploy-test')")
        assert conn.execute("SELECT count(*) FROM news.crawl_runs").fetchone()[0] == 1
        conn.rollback()
        conn.execute("SET ROLE liputan_ro")
        assert conn.execute("SELECT count(*) FROM news.articles").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM liputan.articles")
    with psycopg.connect(liputan) as conn:
        # The pipeline's login reads the migration record but cannot forge or erase it.
        conn.execute("SET ROLE liputan")
        assert conn.execute("SELECT count(*) FROM liputan.schema_migrations").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO liputan.schema_migrations (version, name, checksum)"
                         " VALUES (999, 'forged', 'x')")
