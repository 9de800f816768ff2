"""docker-compose.yml brought up for real, where a Docker engine, the compose plugin and the
images are to be had: every service healthy, both DAGs parsed, a manual re-clean run green.

Skipped, with the reason, where any of them is missing (no engine on most CI machines; here
the engine starts but no registry is reachable, so the images cannot be pulled). The re-clean
run needs no network: it fetches nothing, which is what lets it run on an isolated machine.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
UP_TIMEOUT_S = 900
RUN_TIMEOUT_S = 600


def _docker(*args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout,
                          check=False, **kwargs)


def _images() -> list[str]:
    """The images the default profile needs: its services' and the Dockerfile's base."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    images = {service["image"] for service in compose["services"].values()
              if "image" in service and "build" not in service and not service.get("profiles")}
    dockerfile = (REPO / "Dockerfile").read_text()
    args = dict(re.findall(r"^ARG (\w+)=(\S+)$", dockerfile, re.MULTILINE))
    base = re.search(r"^FROM (\S+)$", dockerfile, re.MULTILINE).group(1)
    images.add(re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base))
    return sorted(images)


def _engine_or_skip() -> None:
    if shutil.which("docker") is None:
        pytest.skip("no docker client")
    try:
        info = _docker("info", "--format", "{{.ServerVersion}}", timeout=20)
    except subprocess.TimeoutExpired:
        pytest.skip("the Docker engine does not answer")
    if info.returncode != 0:
        pytest.skip("no Docker engine running (Debian's docker.io: start dockerd as root)")
    if _docker("compose", "version").returncode != 0:
        pytest.skip("no `docker compose` plugin (the compose file needs Compose v2)")
    missing = [image for image in _images()
               if _docker("image", "inspect", image).returncode != 0]
    unpulled = [image for image in missing
                if _docker("pull", image, timeout=600).returncode != 0]
    if unpulled:
        pytest.skip(f"images not present and not pullable here: {', '.join(unpulled)}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    _engine_or_skip()
    from cryptography.fernet import Fernet

    folder = tmp_path_factory.mktemp("compose")
    env = folder / ".env"
    secrets_for = {"AIRFLOW_FERNET_KEY": Fernet.generate_key().decode()}
    lines = []
    for line in (REPO / ".env.example").read_text().splitlines():
        key, _, value = line.partition("=")
        if value == "change-me":
            line = f"{key}={secrets_for.get(key, secrets.token_hex(16))}"
        lines.append(line)
    # Ports of the host: any free one, so that a running stack of the user's is left alone.
    env.write_text("\n".join([*lines, "POSTGRES_PORT=0", "AIRFLOW_PORT=0"]) + "\n")
    project = f"liputan-test-{uuid.uuid4().hex[:8]}"
    compose = ["compose", "-p", project, "--env-file", str(env), "-f",
               str(REPO / "docker-compose.yml")]
    up = _docker(*compose, "up", "-d", "--build", "--wait", timeout=UP_TIMEOUT_S, cwd=REPO)
    try:
        assert up.returncode == 0, up.stderr[-4000:]
        yield compose
    finally:
        _docker(*compose, "down", "-v", "--remove-orphans", timeout=300, cwd=REPO)


def _airflow(compose: list[str], *args: str) -> subprocess.CompletedProcess:
    return _docker(*compose, "exec", "-T", "airflow-apiserver", "airflow", *args,
                   timeout=120, cwd=REPO)


def test_every_service_is_healthy_and_both_dags_are_parsed(stack):
    services = _docker(*stack, "ps", "--format", "json", cwd=REPO)
    rows = [json.loads(line) for line in services.stdout.splitlines() if line.strip()]
    running = {row["Service"]: row.get("Health") or row["State"] for row in rows}
    for service in ("postgres", "airflow-apiserver", "airflow-scheduler",
                    "airflow-dag-processor", "airflow-triggerer"):
        assert running.get(service) == "healthy", running
    dags = _airflow(stack, "dags", "list", "--output", "json")
    assert {"liputan_nightly", "liputan_manual"} <= {d["dag_id"] for d in json.loads(dags.stdout)}


def test_a_manual_reclean_run_goes_green(stack):
    triggered = _airflow(stack, "dags", "trigger", "liputan_manual", "--conf",
                         '{"reclean_only": true}', "--output", "json")
    assert triggered.returncode == 0, triggered.stderr[-3000:]
    run_id = json.loads(triggered.stdout)[0]["dag_run_id"]
    deadline = time.monotonic() + RUN_TIMEOUT_S
    state = None
    while time.monotonic() < deadline:
        runs = json.loads(_airflow(stack, "dags", "list-runs", "liputan_manual",
                                   "--output", "json").stdout or "[]")
        state = next((r["state"] for r in runs if r["run_id"] == run_id), None)
        if state in ("success", "failed"):
            break
        time.sleep(5)
    assert state == "success"
