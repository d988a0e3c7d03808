"""docker-compose.yml, Dockerfile and .env.example agree with the code they deploy.

No Docker engine runs here, so the files are checked by schema, linter and cross-reference:
the compose file against the Compose Specification schema, the Dockerfile with hadolint, every
command by running it with --help (which loads the Celery app, checks subcommands and flags).
"""

import fnmatch
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dotenv import dotenv_values
from sqlalchemy.engine import make_url

from billing_app.settings import PROJECT_ROOT, Settings

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
APP_SERVICES = ["migrate", "web", "worker", "beat"]
SETTINGS_ENV_NAMES = {name.upper() for name in Settings.model_fields}
BIN = Path(sys.executable).parent


def run(*argv: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], cwd=PROJECT_ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())["services"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    lines = [ln for ln in DOCKERFILE.read_text().splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1]) for ln in joined.splitlines()
            if ln.strip()]


def dockerfile_cmd() -> list[str]:
    (cmd,) = [json.loads(args) for instruction, args in dockerfile_instructions()
              if instruction == "CMD"]
    return cmd


def dockerignored(name: str) -> bool:
    patterns = [p.strip() for p in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()]
    return any(fnmatch.fnmatch(name, p) for p in patterns if p and not p.startswith("#"))


def test_compose_file_follows_the_compose_specification():
    done = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_dockerfile_passes_hadolint():
    done = run(BIN / "hadolint", DOCKERFILE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_stack_has_its_services(services):
    assert set(services) == {"postgres", "redis", "mailpit", "proxy", *APP_SERVICES}
    assert {services[s]["image"].split(":")[0] for s in ("postgres", "redis", "mailpit", "proxy")} == {
        "postgres", "redis", "axllent/mailpit", "nginx"}
    assert set(services["mailpit"]["ports"]) == {"127.0.0.1:1025:1025", "127.0.0.1:8025:8025"}
    assert all("restart" in service for service in services.values())


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_the_app_image_with_real_settings(services, name):
    service = services[name]
    environment = service["environment"]
    required = {"DATABASE_URL", "REDIS_URL", "SMTP_HOST", "SMTP_PORT", "SECRET_KEY"}

    assert service["build"] == "." and service["image"] == services["web"]["image"]
    assert required <= set(environment) <= SETTINGS_ENV_NAMES
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_app_environment_points_at_the_stack(services):
    environment = services["web"]["environment"]
    database = make_url(environment["DATABASE_URL"])
    postgres = services["postgres"]["environment"]
    redis = make_url(environment["REDIS_URL"])

    assert database.drivername == "postgresql+psycopg"
    assert (database.host, database.username, database.password, database.database) == (
        "postgres", postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"])
    assert (redis.drivername, redis.host) == ("redis", "redis")
    assert environment["SMTP_HOST"] == "mailpit"
    assert f"127.0.0.1:{environment['SMTP_PORT']}:1025" in services["mailpit"]["ports"]


def test_dependencies_wait_for_real_conditions(services):
    for name, service in services.items():
        for target, dependency in service.get("depends_on", {}).items():
            condition = dependency["condition"]
            assert target in services, (name, target)
            if condition == "service_healthy":
                assert "healthcheck" in services[target], (name, target)
            if condition == "service_completed_successfully":
                assert services[target]["restart"] == "no", (name, target)
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_commands_load_the_app_and_accept_their_arguments(services):
    """Each command with --help: Celery loads its -A app, the CLIs check subcommands and flags."""
    commands = [services[s]["command"] for s in APP_SERVICES if "command" in services[s]]
    assert "command" not in services["web"]  # the web service runs the image's CMD

    for program, *args in [dockerfile_cmd(), *commands]:
        done = run(sys.executable, "-m", program, *args, "--help")
        assert done.returncode == 0, (program, args, done.stderr)
    assert "billing_app.tasks.celery_app" in {c[c.index("-A") + 1] for c in commands if "-A" in c}


def test_web_serves_on_the_port_rxconfig_expects(services):
    """Reflex's prod mode refuses a backend port other than rxconfig's (APP_PORT)."""
    cmd = dockerfile_cmd()
    port = cmd[cmd.index("--backend-port") + 1]
    web = services["web"]
    app_port = web["environment"].get("APP_PORT", Settings.model_fields["app_port"].default)

    assert str(app_port) == port
    assert web["expose"] == [port]
    assert f"localhost:{port}/api/v1/health" in " ".join(web["healthcheck"]["test"])


def test_proxy_spreads_the_web_replicas_on_the_app_port(services):
    """Several web replicas, no published port of their own: the proxy publishes the app's port
    (the browser finds the backend on the port that served the page) and passes websockets on."""
    cmd = dockerfile_cmd()
    port = cmd[cmd.index("--backend-port") + 1]
    proxy = services["proxy"]
    source, target = proxy["volumes"][0].split(":")[:2]
    config = (PROJECT_ROOT / source).read_text()

    assert services["web"]["deploy"]["replicas"] >= 2 and "ports" not in services["web"]
    assert [mapping.rsplit(":", 1)[-1] for mapping in proxy["ports"]] == [port]
    assert target.startswith("/etc/nginx/conf.d/")
    assert re.search(rf"^\s*listen {port};", config, flags=re.MULTILINE)
    assert f"http://web:{port};" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "web" in proxy["depends_on"]


@pytest.mark.parametrize(("environment", "state_redis"), [
    ({"REDIS_URL": "redis://redis:6379/0"}, "redis://redis:6379/1"),  # apart from Celery's queues
    ({"REDIS_URL": "redis://redis:6379/0", "STATE_REDIS_URL": "redis://other:6379/4"},
     "redis://other:6379/4"),
    ({"REDIS_URL": "unix:///run/redis.sock?db=0"}, "unix:///run/redis.sock?db=1"),
    ({"REDIS_URL": "redis://redis:6379/0", "STATE_REDIS_URL": ""}, "None"),
    ({}, "None"),  # no setup: one process keeps the state, as `make run` does
])
def test_reflex_keeps_tab_state_in_redis_when_there_is_one(environment, state_redis):
    """rxconfig gives Reflex a Redis URL, so its state manager and its several workers use it."""
    probe = "import rxconfig; print(rxconfig.config.redis_url)"
    env = {name: value for name, value in os.environ.items()
           if name not in ("REDIS_URL", "STATE_REDIS_URL", "REFLEX_REDIS_URL")}
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, env={**env, **environment})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == state_redis


def test_dockerfile_copies_what_exists_and_is_not_ignored():
    instructions = dockerfile_instructions()
    copies = [args.split() for instruction, args in instructions if instruction == "COPY"]
    sources = [src for args in copies if not any(a.startswith("--from") for a in args)
               for src in [a for a in args if not a.startswith("--")][:-1]]
    final_base = [args for instruction, args in instructions if instruction == "FROM"][-1]

    assert sources, "no COPY from the build context"
    for source in sources:
        assert (PROJECT_ROOT / source).exists(), source
        assert source == "." or not dockerignored(source), source
    needed = ["billing_app", "alembic", "alembic.ini", "rxconfig.py", "requirements.txt", "assets"]
    assert [name for name in needed if dockerignored(name)] == []
    assert dockerignored(".env") and dockerignored(".venv")
    assert final_base.startswith(f"python:{sys.version_info.major}.{sys.version_info.minor}-")


def test_env_example_documents_exactly_the_settings():
    text = (PROJECT_ROOT / ".env.example").read_text()
    documented = re.findall(r"^# ([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE)

    assert sorted(documented) == sorted(SETTINGS_ENV_NAMES)
    uncommented = re.sub(r"^# (?=[A-Z][A-Z0-9_]*=)", "", text, flags=re.MULTILINE)
    values = dotenv_values(stream=io.StringIO(uncommented))
    Settings(**{name.lower(): value for name, value in values.items()})  # each value is valid
