"""The one home of secrets handling: which headers are sensitive, and how text is redacted.

A secret is replaced wherever it appears as a whole token. Long secrets (real keys) are replaced
anywhere; short ones only where they stand alone, so that a one-letter key cannot turn
``User not found.`` into ``Us[REDACTED]r not found.``. Escaped forms (``repr``, JSON) are covered
too, because transport libraries quote odd header values in their error messages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["REDACTED", "SENSITIVE_HEADERS", "Secrets"]

REDACTED = "[REDACTED]"

SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"})

# A key this long is random enough that any occurrence of it is the key, not a word.
_ANYWHERE_LENGTH = 12
_TOKEN_CHARS = r"[A-Za-z0-9_\-.~+/=]"  # noqa: S105 - the characters of a token, not a password


def _variants(secret: str) -> set[str]:
    """The secret as it may appear in text: itself, and its ``repr``/JSON escaped forms."""
    forms = {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1]}
    forms.add(repr(secret.encode("utf-8", "backslashreplace"))[2:-1])
    return {form for form in forms if form}


class Secrets:
    """A set of secrets, compiled into one pattern the first time something is redacted.

    Built once per call; most calls never redact anything, so they never pay for the pattern.
    """

    __slots__ = ("_pattern", "_secrets")

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self._secrets = tuple(secret for secret in secrets if secret and secret.strip())
        self._pattern: re.Pattern[str] | bool | None = False  # False: not compiled yet

    def _compiled(self) -> re.Pattern[str] | None:
        alternatives: list[str] = []
        for secret in self._secrets:
            for form in sorted(_variants(secret), key=len, reverse=True):
                escaped = re.escape(form)
                if len(form) >= _ANYWHERE_LENGTH:
                    alternatives.append(escaped)
                else:
                    alternatives.append(f"(?<!{_TOKEN_CHARS}){escaped}(?!{_TOKEN_CHARS})")
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        return self._pattern

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of a secret replaced by ``[REDACTED]``."""
        if not self._secrets or not text:
            return text
        pattern = self._pattern if self._pattern is not False else self._compiled()
        return pattern.sub(REDACTED, text) if isinstance(pattern, re.Pattern) else text
