"""The deployment files: docker-compose.yml, the Dockerfile and the collector config.

Docker is not needed: the files are parsed and their structure checked, so a
broken dependency order, a hard-coded secret or an environment variable the
application does not read fails here rather than in production.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

SERVICES = ("postgres", "redis", "migrate", "api", "worker", "otel-collector")
APP_SERVICES = ("migrate", "api", "worker")
LONG_RUNNING_APP_SERVICES = ("api", "worker")
HEALTHCHECKED = ("postgres", "redis", "api", "worker")
SERVE_CMD = ["voiceagents", "serve", "--host", "0.0.0.0", "--port", "8000"]

# Names the application does not read through core.settings.Settings.
NON_SETTINGS_PREFIXES = ("OTEL_", "LIVEKIT_")
NON_SETTINGS_NAMES = {"GOOGLE_API_KEY"}

# ${NAME:?message}: required, compose refuses to start without it.
REQUIRED_VAR = re.compile(r"^\$\{(?P<name>[A-Z][A-Z0-9_]*):?\?[^}]*\}$")
DURATION = re.compile(r"^(\d+(us|ms|s|m|h))+$")
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|TOKEN|(^|_)KEYS?$)")


# --- helpers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict), "docker-compose.yml is not a mapping"
    return data


@pytest.fixture(scope="module")
def services(compose: dict) -> dict:
    services = compose.get("services")
    assert isinstance(services, dict), "docker-compose.yml has no services mapping"
    return services


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) for item in env)
        return {name: value for name, value in pairs}
    return {name: ("" if value is None else str(value)) for name, value in env.items()}


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def healthcheck_test(service: dict) -> list[str]:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, list) else ["CMD-SHELL", test]


def has_enabled_healthcheck(service: dict) -> bool:
    check = service.get("healthcheck")
    return bool(check) and not check.get("disable", False)


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):  # short syntax means "service_started"
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def all_environments(compose: dict) -> list[tuple[str, str, str]]:
    """(where, name, value) for every variable set in a service or an x- block."""
    found = []
    for name, service in compose["services"].items():
        found += [(name, key, value) for key, value in environment(service).items()]
    for key, block in compose.items():
        if key.startswith("x-") and isinstance(block, dict):
            for var, value in block.items():
                if isinstance(value, (str, int, float, bool)) or value is None:
                    found.append((key, var, "" if value is None else str(value)))
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, rest = line.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    assert not pending, "Dockerfile ends with a line continuation"
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


# --- docker-compose.yml ----------------------------------------------------


def test_compose_uses_the_compose_spec_without_version_key(compose):
    assert "version" not in compose


def test_all_services_are_defined(services):
    missing = [name for name in SERVICES if name not in services]
    assert not missing, f"services missing from docker-compose.yml: {missing}"


def test_images(services):
    assert services["postgres"]["image"] == "postgres:16-alpine"
    assert services["redis"]["image"] == "redis:7-alpine"
    assert services["otel-collector"]["image"].startswith("otel/opentelemetry-collector-contrib:")
    assert not services["otel-collector"]["image"].endswith(":latest")


@pytest.mark.parametrize("name", HEALTHCHECKED)
def test_service_has_a_complete_healthcheck(services, name):
    check = services[name].get("healthcheck")
    assert has_enabled_healthcheck(services[name]), f"{name} has no healthcheck"
    test = healthcheck_test(services[name])
    assert test[0] in {"CMD", "CMD-SHELL"} and len(test) > 1, f"{name}: bad test {test!r}"
    for key in ("interval", "timeout", "retries"):
        assert key in check, f"{name} healthcheck lacks {key}"


def test_every_healthcheck_defines_interval_timeout_retries(services):
    checked = [name for name, service in services.items() if has_enabled_healthcheck(service)]
    assert set(HEALTHCHECKED) <= set(checked)
    for name in checked:
        check = services[name]["healthcheck"]
        assert DURATION.match(str(check.get("interval", ""))), f"{name}: interval"
        assert DURATION.match(str(check.get("timeout", ""))), f"{name}: timeout"
        assert isinstance(check.get("retries"), int) and check["retries"] >= 1, f"{name}: retries"


def test_healthcheck_commands_probe_the_right_thing(services):
    postgres = " ".join(healthcheck_test(services["postgres"]))
    assert "pg_isready" in postgres
    redis = healthcheck_test(services["redis"])
    assert "redis-cli" in " ".join(redis) and "ping" in redis
    api = " ".join(healthcheck_test(services["api"]))
    assert "urllib" in api and "http://127.0.0.1:8000/readyz" in api
    worker = " ".join(healthcheck_test(services["worker"]))
    assert "urllib" in worker and "http://127.0.0.1:8081/" in worker
    for name in ("api", "worker"):
        text = " ".join(healthcheck_test(services[name]))
        assert "curl" not in text and "wget" not in text, f"{name}: slim images have no curl/wget"


@pytest.mark.parametrize("name", LONG_RUNNING_APP_SERVICES)
def test_app_waits_for_healthy_storage_and_finished_migrations(services, name):
    deps = depends_on(services[name])
    assert deps.get("postgres") == "service_healthy", f"{name} -> postgres: {deps}"
    assert deps.get("redis") == "service_healthy", f"{name} -> redis: {deps}"
    assert deps.get("migrate") == "service_completed_successfully", f"{name} -> migrate: {deps}"


def test_service_healthy_dependencies_have_a_healthcheck(services):
    # Waiting for "healthy" on a service without a healthcheck never ends.
    for name, service in services.items():
        for dep, condition in depends_on(service).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            if condition == "service_healthy":
                assert has_enabled_healthcheck(services[dep]), f"{name} waits for {dep}"


def test_migrate_is_a_one_shot_job(services):
    migrate = services["migrate"]
    command = command_text(migrate)
    assert "voiceagents migrate" in command
    assert "voiceagents tools sync" in command
    assert command.index("voiceagents migrate") < command.index("voiceagents tools sync")
    assert "&&" in command, "tools sync must not run when the migration failed"
    assert migrate.get("restart") == "no"
    assert depends_on(migrate).get("postgres") == "service_healthy"


def test_app_services_share_the_image_built_from_the_dockerfile(services):
    builds, images = [], set()
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build is not None, f"{name} is not built from the Dockerfile"
        context, dockerfile = (
            (build, "Dockerfile")
            if isinstance(build, str)
            else (build.get("context", "."), build.get("dockerfile", "Dockerfile"))
        )
        assert (ROOT / context / dockerfile).resolve() == DOCKERFILE
        builds.append((context, dockerfile))
        images.add(services[name].get("image"))
    assert len(set(builds)) == 1
    assert len(images) == 1 and None not in images, f"one image for all: {images}"


def test_process_commands(services):
    api_command = services["api"].get("command")
    assert api_command in (None, SERVE_CMD, " ".join(SERVE_CMD))
    assert command_text(services["worker"]) == "voiceagents worker start"


def test_api_publishes_port_8000(services):
    ports = [str(port) for port in services["api"].get("ports", [])]
    assert any(port == "8000" or port.endswith(":8000") for port in ports), ports


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_the_production_environment(services, name):
    env = environment(services[name])
    for var in ("DATABASE_URL", "REDIS_URL", "JWT_SECRET", "ENCRYPTION_KEYS"):
        assert env.get(var), f"{name} lacks {var}"
    assert env.get("ENVIRONMENT") == "production"
    assert re.match(r"^postgres(ql)?://[^@/]+@postgres:5432/", env["DATABASE_URL"])
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env.get("OTEL_EXPORTER_OTLP_ENDPOINT") == "http://otel-collector:4318"
    assert env.get("OTEL_SERVICE_NAME"), f"{name} lacks OTEL_SERVICE_NAME"


def test_service_names_are_distinct_in_traces(services):
    names = [environment(services[name])["OTEL_SERVICE_NAME"] for name in APP_SERVICES]
    assert len(set(names)) == len(names), names


def test_worker_gets_livekit_and_gemini_credentials(services):
    env = environment(services["worker"])
    for var in ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "GOOGLE_API_KEY"):
        assert REQUIRED_VAR.match(env.get(var, "")), f"worker {var}={env.get(var)!r}"


def test_app_environment_comes_from_a_shared_anchor(compose):
    text = COMPOSE_FILE.read_text()
    anchors = [
        key
        for key, value in compose.items()
        if key.startswith("x-") and isinstance(value, dict) and "DATABASE_URL" in value
    ]
    assert anchors, "no x- block holds the shared app environment"
    shared = compose[anchors[0]]
    assert re.search(rf"^{re.escape(anchors[0])}:\s*&\S+", text, re.MULTILINE), (
        "x- block is not an anchor"
    )
    for name in APP_SERVICES:
        env = environment(compose["services"][name])
        for var, value in shared.items():
            assert env.get(var) == str(value), f"{name} does not merge the shared {var}"


def test_secrets_are_required_interpolations_never_literals(compose, services):
    for where in APP_SERVICES:
        env = environment(services[where])
        for var in ("JWT_SECRET", "ENCRYPTION_KEYS"):
            match = REQUIRED_VAR.match(env[var])
            assert match and match["name"] == var, f"{where} {var} must be ${{{var}:?...}}"
        # The application's login and the owner's (migrations) have passwords of their own.
        for url, secret in (
            ("DATABASE_URL", "APP_DATABASE_PASSWORD"),
            ("MIGRATION_DATABASE_URL", "POSTGRES_PASSWORD"),
        ):
            if url not in env:
                continue
            password = re.match(
                r"^postgres(?:ql)?://(?:\$\{[^}]*\}|[^:@/$]+):(?P<pw>\$\{[^}]*\})@", env[url]
            )
            assert password, f"{where}: the {url} password must be an interpolation"
            assert REQUIRED_VAR.match(password["pw"])["name"] == secret
    pg_password = environment(services["postgres"]).get("POSTGRES_PASSWORD", "")
    assert REQUIRED_VAR.match(pg_password), "POSTGRES_PASSWORD must be required"

    # Any variable named like a secret, anywhere in the file: required, or optional with an
    # empty default (an optional integration), never a literal.
    for where, var, value in all_environments(compose):
        if SECRET_NAME.search(var):
            optional = re.fullmatch(r"\$\{(?P<name>[A-Z][A-Z0-9_]*):-\}", value)
            assert REQUIRED_VAR.match(value) or (optional and optional["name"] == var), (
                f"{where}: {var}={value!r} is neither ${{{var}:?...}} nor ${{{var}:-}}"
            )

    # Nor the development defaults of core.settings.
    text = COMPOSE_FILE.read_text()
    for field in ("jwt_secret", "encryption_keys"):
        default = Settings.model_fields[field].default.get_secret_value()
        assert default.split(":", 1)[-1] not in text, f"the development {field} is in the file"


def test_app_environment_names_are_settings_fields(compose):
    fields = {name.upper() for name in Settings.model_fields}
    for name in APP_SERVICES:
        for var in environment(compose["services"][name]):
            if var.startswith(NON_SETTINGS_PREFIXES) or var in NON_SETTINGS_NAMES:
                continue
            assert var in fields, f"{name}: {var} is not a field of core.settings.Settings"


def test_postgres_keeps_its_data_in_a_named_volume(compose, services):
    volumes = compose.get("volumes") or {}
    mounts = [str(volume) for volume in services["postgres"].get("volumes", [])]
    named = [
        m.split(":", 1)[0] for m in mounts if m.split(":")[1:2] == ["/var/lib/postgresql/data"]
    ]
    assert named and named[0] in volumes, f"postgres data is not on a named volume: {mounts}"


# --- deploy/otel-collector.yaml -------------------------------------------


def collector_mount(services: dict) -> tuple[Path, str]:
    for volume in services["otel-collector"].get("volumes", []):
        source, target = str(volume).split(":")[:2]
        if source.endswith((".yaml", ".yml")):
            return (ROOT / source).resolve(), target
    raise AssertionError("otel-collector mounts no config file")


def test_collector_config_is_mounted_and_used(services):
    source, target = collector_mount(services)
    assert source == ROOT / "deploy" / "otel-collector.yaml"
    assert source.is_file(), f"{source} does not exist"
    command = command_text(services["otel-collector"])
    # Either passed explicitly, or mounted over the image's default config.
    assert f"--config={target}" in command or (
        not command and target == "/etc/otelcol-contrib/config.yaml"
    ), f"collector does not read {target}: {command!r}"


def test_collector_config_pipelines(services):
    source, _ = collector_mount(services)
    config = yaml.safe_load(source.read_text())
    protocols = config["receivers"]["otlp"]["protocols"]
    assert protocols["grpc"]["endpoint"].endswith(":4317")
    assert protocols["http"]["endpoint"].endswith(":4318")
    assert "batch" in config["processors"]
    assert "debug" in config["exporters"]
    assert config["extensions"]["health_check"]["endpoint"] == "0.0.0.0:13133"
    assert "health_check" in config["service"]["extensions"]

    pipelines = config["service"]["pipelines"]
    for signal in ("traces", "metrics"):
        pipeline = pipelines[signal]
        assert "otlp" in pipeline["receivers"]
        assert "batch" in pipeline["processors"]
        assert pipeline["exporters"], f"{signal} pipeline exports nowhere"
    # Every component a pipeline names is defined.
    for signal, pipeline in pipelines.items():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind, []):
                assert component in (config.get(kind) or {}), f"{signal}: {component} undefined"


def test_services_depending_on_the_collector_do_not_wait_for_health(services):
    collector = services["otel-collector"]
    for name in LONG_RUNNING_APP_SERVICES:
        condition = depends_on(services[name]).get("otel-collector")
        assert condition is not None, f"{name} does not start after the collector"
        if not has_enabled_healthcheck(collector):
            assert condition == "service_started"


# --- Dockerfile --------------------------------------------------------------


def test_dockerfile_base_image_is_python_311_slim():
    instructions = dockerfile_instructions()
    args = {}
    for keyword, rest in instructions:
        if keyword == "FROM":
            break
        if keyword == "ARG" and "=" in rest:
            name, value = rest.split("=", 1)
            args[name.strip()] = value.strip().strip('"')
    bases = []
    for keyword, rest in instructions:
        if keyword == "FROM":
            image = rest.split()[0]
            for name, value in args.items():
                image = image.replace(f"${{{name}}}", value).replace(f"${name}", value)
            bases.append(image)
    assert bases and bases[-1] == "python:3.11-slim", bases


def test_dockerfile_installs_the_project_without_dev_extras():
    runs = " ".join(rest for keyword, rest in dockerfile_instructions() if keyword == "RUN")
    assert re.search(r"pip install (\S+ )*\.(\s|$)", runs), (
        "the project is not installed with pip install ."
    )
    assert not re.search(r"pip install[^&;]*\s(-e|--editable)\s", runs)
    assert "[dev]" not in runs


def test_dockerfile_runs_as_a_non_root_user():
    users = [rest for keyword, rest in final_stage() if keyword == "USER"]
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, f"USER {users[-1]} is root"


def test_dockerfile_exposes_8000_and_serves_by_default():
    stage = final_stage()
    assert any(keyword == "EXPOSE" and "8000" in rest.split() for keyword, rest in stage)
    cmds = [rest for keyword, rest in stage if keyword == "CMD"]
    assert cmds and json.loads(cmds[-1]) == SERVE_CMD


def test_dockerfile_healthcheck_probes_healthz_with_python():
    checks = [rest for keyword, rest in final_stage() if keyword == "HEALTHCHECK"]
    assert checks, "no HEALTHCHECK"
    check = checks[-1]
    assert "urllib" in check and "http://127.0.0.1:8000/healthz" in check
    for option in ("--interval=", "--timeout=", "--retries="):
        assert option in check, f"HEALTHCHECK lacks {option}"
    assert "curl" not in check and "wget" not in check


def test_dockerignore_keeps_local_state_and_secrets_out():
    patterns = {
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".venv", "var", ".git", ".env", "tests"):
        assert required in patterns, f".dockerignore lacks {required}"
    assert any("__pycache__" in pattern for pattern in patterns)
    assert "pyproject.toml" not in patterns and "core" not in patterns
