"""`voiceagents users deactivate|reactivate`, run as a real process."""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_cli import assert_one_line_failure, run

pytestmark = pytest.mark.slow


def _is_active(tmp_path, email: str) -> bool:  # type: ignore[no-untyped-def]
    with sqlite3.connect(tmp_path / "cli.sqlite3") as database:
        (active,) = database.execute(
            "SELECT is_active FROM users WHERE email = ?", (email,)
        ).fetchone()
    return bool(active)


def test_a_person_is_deactivated_and_reactivated(tmp_path):
    # given
    run(["migrate"], tmp_path)
    run(["create-admin", "--email", "ops@example.com"], tmp_path)

    # when
    deactivated = run(["users", "deactivate", "--email", "Ops@Example.com"], tmp_path)
    inactive = _is_active(tmp_path, "ops@example.com")
    reactivated = run(["users", "reactivate", "--email", "ops@example.com"], tmp_path)

    # then
    assert deactivated.returncode == 0, deactivated.stderr
    assert deactivated.stdout.strip() == "user deactivated: ops@example.com"
    assert inactive is False
    assert reactivated.returncode == 0, reactivated.stderr
    assert reactivated.stdout.strip() == "user reactivated: ops@example.com"
    assert _is_active(tmp_path, "ops@example.com") is True


def test_an_unknown_email_fails_in_one_line(tmp_path):
    run(["migrate"], tmp_path)
    result = run(["users", "deactivate", "--email", "nobody@example.com"], tmp_path)
    assert_one_line_failure(result, "no user with email nobody@example.com")
