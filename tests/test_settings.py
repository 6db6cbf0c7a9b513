"""Settings: production refuses weak secrets; every variable is documented."""

import base64
import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import DEV_ENCRYPTION_KEYS, DEV_JWT_SECRET, Settings, parse_encryption_keys

README = Path(__file__).resolve().parents[1] / "README.md"
GOOD_KEYS = "k1:" + base64.urlsafe_b64encode(bytes(range(32))).decode()


def production(**overrides):
    values = {"environment": "production", "jwt_secret": "s" * 40, "encryption_keys": GOOD_KEYS}
    values.update(overrides)
    return Settings(**values)


def test_production_accepts_strong_secrets_and_turns_tools_off():
    # when
    settings = production()
    # then
    assert settings.graphiql is False
    assert settings.introspection is False


def test_production_can_turn_introspection_back_on():
    assert production(introspection_enabled=True).introspection is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"jwt_secret": DEV_JWT_SECRET}, "JWT_SECRET"),
        ({"jwt_secret": "short"}, "JWT_SECRET"),
        ({"encryption_keys": DEV_ENCRYPTION_KEYS}, "ENCRYPTION_KEYS"),
    ],
)
def test_production_refuses_default_or_short_secrets(overrides, message):
    with pytest.raises(ValidationError, match=message):
        production(**overrides)


def test_development_defaults_are_usable():
    settings = Settings(environment="development")
    assert settings.graphiql and settings.introspection
    assert settings.database_url.startswith("sqlite://")


@pytest.mark.parametrize(
    "raw",
    [
        "nokid",
        "k1:!!!",
        "k1:" + base64.urlsafe_b64encode(b"short").decode(),
        f"{GOOD_KEYS},{GOOD_KEYS}",
    ],
)
def test_malformed_encryption_keys_are_refused(raw):
    with pytest.raises(ValueError):
        parse_encryption_keys(raw)


def test_encryption_keys_keep_their_order():
    second = "k2:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert list(parse_encryption_keys(f"{GOOD_KEYS},{second}")) == ["k1", "k2"]


def test_origins_accept_comma_separated_values(monkeypatch):
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example")
    assert Settings().cors_allowed_origins == ["https://a.example", "https://b.example"]


def test_database_url_scheme_is_checked():
    with pytest.raises(ValidationError, match=r"DATABASE_URL|database_url"):
        Settings(database_url="mysql://localhost/x")


def test_every_setting_is_documented_in_the_readme():
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", README.read_text(), re.MULTILINE))
    documented = {name for name in documented if not name.startswith("OTEL_")}  # the SDK's own
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "document these variables in README.md"
    assert documented - fields == set(), "README documents variables Settings does not have"
