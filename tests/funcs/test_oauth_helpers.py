"""The two OAuth helpers: pure functions, no HTTP (PKCE per RFC 7636)."""

from __future__ import annotations

import base64
import hashlib
import math
import re
from typing import Any

import httpx
import pytest

from openrouter._resources.oauth import OAuth
from openrouter_core import Err, Ok, OpenRouterCore, RequestOptions, SDKValidationError
from openrouter_funcs.oauth_create_authorization_url import (
    CreateAuthorizationUrlRequest,
    oauth_create_authorization_url,
)
from openrouter_funcs.oauth_create_sha256_code_challenge import (
    CreateSHA256CodeChallengeRequest,
    CreateSHA256CodeChallengeResponse,
    oauth_create_sha256_code_challenge,
)

CALLBACK = "https://myapp.example/oauth/callback?x=1"
ENCODED_CALLBACK = "https%3A%2F%2Fmyapp.example%2Foauth%2Fcallback%3Fx%3D1"
# RFC 7636 appendix B
RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def refusing_core(**options: Any) -> OpenRouterCore:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError("the OAuth helpers must not send anything")

    transport = httpx.MockTransport(refuse)
    return OpenRouterCore(
        api_key="sk-test",
        client=httpx.Client(transport=transport),
        async_client=httpx.AsyncClient(transport=transport),
        **options,
    )


# --- authorization URL ---------------------------------------------------------------------------


def test_url_with_the_default_server_is_the_site_auth_page() -> None:
    result = oauth_create_authorization_url(refusing_core(), {"callback_url": CALLBACK})
    assert result == Ok(f"https://openrouter.ai/auth?callback_url={ENCODED_CALLBACK}")


def test_pkce_and_limit_come_in_order() -> None:
    request = {"limit": 25, "code_challenge_method": "S256", "code_challenge": RFC_CHALLENGE, "callback_url": CALLBACK}
    result = oauth_create_authorization_url(refusing_core(), request)
    assert result == Ok(
        f"https://openrouter.ai/auth?callback_url={ENCODED_CALLBACK}"
        f"&code_challenge={RFC_CHALLENGE}&code_challenge_method=S256&limit=25"
    )


def test_model_request_and_number_formats() -> None:
    request = CreateAuthorizationUrlRequest(callback_url="http://localhost:3000/cb", limit=2.5)
    assert oauth_create_authorization_url(refusing_core(), request).unwrap().endswith("&limit=2.5")
    whole = CreateAuthorizationUrlRequest(callback_url="http://localhost:3000/cb", limit=10.0)
    assert oauth_create_authorization_url(refusing_core(), whole).unwrap().endswith("&limit=10")


def test_the_origin_comes_from_the_core_or_the_call() -> None:
    core = refusing_core(server_url="https://eu.openrouter.example/api/v1")
    assert (
        oauth_create_authorization_url(core, {"callback_url": CALLBACK})
        .unwrap()
        .startswith("https://eu.openrouter.example/auth?")
    )
    options = RequestOptions(server_url="http://127.0.0.1:8080/api/v1")
    url = oauth_create_authorization_url(core, {"callback_url": CALLBACK}, options).unwrap()
    assert url.startswith("http://127.0.0.1:8080/auth?")


@pytest.mark.parametrize(
    ("request_arg", "field"),
    [
        ({}, "request.callback_url"),
        ({"callback_url": "/relative/path"}, "request.callback_url"),
        ({"callback_url": "not a url"}, "request.callback_url"),
        ({"callback_url": 42}, "request.callback_url"),
        ({"callback_url": CALLBACK, "code_challenge": "abc"}, "request.code_challenge_method"),
        ({"callback_url": CALLBACK, "code_challenge_method": "S256"}, "request.code_challenge"),
        (
            {"callback_url": CALLBACK, "code_challenge": "abc", "code_challenge_method": "S512"},
            "request.code_challenge_method",
        ),
        ({"callback_url": CALLBACK, "code_challenge": "", "code_challenge_method": "plain"}, "request.code_challenge"),
        ({"callback_url": CALLBACK, "limit": True}, "request.limit"),
        ({"callback_url": CALLBACK, "limit": math.nan}, "request.limit"),
        ({"callback_url": CALLBACK, "limit": -1}, "request.limit"),
        ({"callback_url": CALLBACK, "limit": "10"}, "request.limit"),
        ({"callback_url": CALLBACK, "callbackUrl": CALLBACK}, "request.callbackUrl"),
        (["callback_url"], "request"),
    ],
)
def test_invalid_requests_are_errs_naming_the_field(request_arg: Any, field: str) -> None:
    result = oauth_create_authorization_url(refusing_core(), request_arg)
    assert isinstance(result, Err)
    assert isinstance(result.error, SDKValidationError)
    assert result.error.field == field


# --- SHA-256 code challenge ----------------------------------------------------------------------


def test_the_rfc_7636_example() -> None:
    result = oauth_create_sha256_code_challenge({"code_verifier": RFC_VERIFIER})
    assert result == Ok(CreateSHA256CodeChallengeResponse(code_challenge=RFC_CHALLENGE, code_verifier=RFC_VERIFIER))
    model = CreateSHA256CodeChallengeRequest(code_verifier=RFC_VERIFIER)
    assert oauth_create_sha256_code_challenge(model).unwrap().code_challenge == RFC_CHALLENGE


def test_a_random_verifier_is_43_unreserved_characters_and_matches_its_challenge() -> None:
    first = oauth_create_sha256_code_challenge().unwrap()
    second = oauth_create_sha256_code_challenge(None).unwrap()
    assert first.code_verifier != second.code_verifier
    for pair in (first, second):
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", pair.code_verifier)
        digest = hashlib.sha256(pair.code_verifier.encode()).digest()
        assert pair.code_challenge == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        assert len(pair.code_challenge) == 43


def test_the_verifier_never_appears_in_a_repr() -> None:
    pair = oauth_create_sha256_code_challenge({"code_verifier": RFC_VERIFIER}).unwrap()
    assert RFC_VERIFIER not in repr(pair)
    assert RFC_VERIFIER not in repr(CreateSHA256CodeChallengeRequest(code_verifier=RFC_VERIFIER))


@pytest.mark.parametrize(
    ("request_arg", "field"),
    [
        ({"code_verifier": "a" * 42}, "request.code_verifier"),
        ({"code_verifier": "a" * 129}, "request.code_verifier"),
        ({"code_verifier": "a" * 42 + "!"}, "request.code_verifier"),
        ({"code_verifier": 12345}, "request.code_verifier"),
        ({"codeVerifier": RFC_VERIFIER}, "request.codeVerifier"),
        ("verifier", "request"),
    ],
)
def test_invalid_verifiers_are_errs(request_arg: Any, field: str) -> None:
    result = oauth_create_sha256_code_challenge(request_arg)
    assert isinstance(result, Err)
    assert result.error.field == field


def test_boundary_lengths_are_accepted() -> None:
    assert oauth_create_sha256_code_challenge({"code_verifier": "A" * 43}).ok
    assert oauth_create_sha256_code_challenge({"code_verifier": "-._~" * 32}).ok


# --- facade -----------------------------------------------------------------------------------------


def test_facade_methods_return_values_and_raise_errors() -> None:
    oauth = OAuth(refusing_core())
    assert oauth.create_authorization_url({"callback_url": CALLBACK}).startswith("https://openrouter.ai/auth?")
    assert oauth.create_sha256_code_challenge({"code_verifier": RFC_VERIFIER}).code_challenge == RFC_CHALLENGE
    with pytest.raises(SDKValidationError):
        oauth.create_authorization_url({"callback_url": "nope"})
    with pytest.raises(SDKValidationError):
        oauth.create_sha256_code_challenge({"code_verifier": "short"})
