"""Small public behaviours: ``NOT_GIVEN``, the options' repr, and the string formats requests are checked against."""

from __future__ import annotations

import pytest

from openrouter_core import NOT_GIVEN, RequestOptions
from openrouter_core._formats import format_problem


def test_not_given_is_falsy_and_shows_its_name() -> None:
    assert not NOT_GIVEN
    assert bool(NOT_GIVEN) is False
    assert repr(NOT_GIVEN) == "NOT_GIVEN"


def test_the_options_repr_hides_sensitive_headers_only() -> None:
    options = RequestOptions(headers={"Authorization": "Bearer sk-or-v1-secret", "X-Title": "my app"}, timeout_ms=5)
    shown = repr(options)
    assert "sk-or-v1-secret" not in shown
    assert "headers={'authorization': '[REDACTED]', 'x-title': 'my app'}" in shown  # names normalised
    assert "timeout_ms=5.0" in shown
    assert "headers=NOT_GIVEN" in repr(RequestOptions())


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("uuid", "550e8400-e29b-41d4-a716-446655440000", None),
        ("uuid", "550e8400", "must be a UUID"),
        ("date-time", "2026-01-31T12:00:00Z", None),
        ("date-time", "2026-01-31T12:00:00.123+02:00", None),
        ("date-time", "31/01/2026", "must be an RFC 3339 date-time"),
        ("date-time", "2026-01-31", "must be an RFC 3339 date-time"),
        ("uri", "https://example.com/callback", None),
        ("uri", "/callback", "must be an absolute URI"),
        ("uri", "not a uri", "must be an absolute URI"),
        ("email", "anything", None),  # a format the SDK does not check
    ],
)
def test_formats_say_what_is_wrong(name: str, value: str, problem: str | None) -> None:
    found = format_problem(name, value)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert found.startswith(problem)
