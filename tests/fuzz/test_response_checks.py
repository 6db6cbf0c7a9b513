"""The fuzz suite's response check finds what it must, so a green fuzz run means something."""

from __future__ import annotations

import json

import pytest

from tests.fuzz.helpers import problems

pytestmark = pytest.mark.slow

MASKED = {
    "message": "Unexpected error. Reference: 0123456789abcdef",
    "path": ["agent"],
    "extensions": {"code": "INTERNAL_SERVER_ERROR", "reference": "0123456789abcdef"},
}


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, "Internal Server Error", "HTTP 500"),
        (200, 'Traceback (most recent call last):\n  File "x.py"', "'Traceback'"),
        (200, {"errors": [{"message": "KeyError: 'id'", "path": ["me"]}]}, "KeyError"),
        (200, {"errors": [MASKED], "data": None}, "unexpected error at ['agent']"),
        (
            200,
            {"errors": [{**MASKED, "message": "division by zero"}], "data": None},
            "unmasked internal error",
        ),
        (
            200,
            {"errors": [{"message": "Cannot return null for non-nullable field", "path": ["me"]}]},
            "uncoded error on ['me']",
        ),
        (200, {"errors": [{"message": "x", "extensions": {"code": "WHATEVER"}}]}, "'WHATEVER'"),
        (200, {"errors": [{"message": "Syntax Error: Unexpected <EOF>."}]}, "uncoded error"),
        (
            200,
            {"errors": [{"message": "x", "extensions": {"code": "FORBIDDEN", "stack": []}}]},
            "extensions carry",
        ),
        (200, "<html>", "not JSON"),
    ],
)
def test_a_bad_response_is_reported(status: int, body: object, expected: str) -> None:
    # given
    text = body if isinstance(body, str) else json.dumps(body)

    # when
    found = problems(status, text)

    # then
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"me": {"id": "VXNlcjox"}}},
        {
            "errors": [
                {
                    "message": "Agent not found.",
                    "path": ["agent"],
                    "extensions": {"code": "NOT_FOUND"},
                }
            ],
            "data": None,
        },
        {
            "errors": [
                {
                    "message": "Cannot query field 'x' on type 'Query'.",
                    "locations": [{"line": 1, "column": 3}],
                    "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
                }
            ]
        },
        {
            "errors": [
                {
                    "message": "Variable '$id' of required type 'ID!' was not provided.",
                    "extensions": {"code": "BAD_REQUEST"},
                }
            ]
        },
    ],
)
def test_a_good_response_passes(body: dict) -> None:
    # given
    text = json.dumps(body)

    # when
    found = problems(200, text)

    # then
    assert found == []
