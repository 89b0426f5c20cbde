"""One call, from a ``Plan`` to a ``Result``, written once for sync and async.

The flow is a generator: it yields the I/O it needs (resolve the key, run a hook, send, read a
body, sleep) as action objects and receives their results, so the retry loop, the hooks, the
logging and the response matching exist once. ``_drivers`` performs the actions. Each piece is a
sub-flow used with ``yield from``: the key, the hooks, one attempt, the outcome.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import httpx

from openrouter_core import _errors as errors
from openrouter_core._actions import AsyncCallableInSyncCall, ReadBody, ResolveKey, RunHook, Send, Sent, Sleep
from openrouter_core._config import key_problem
from openrouter_core._logging import DEBUG_LOGGER, LOGGER, log_attempt, log_retry
from openrouter_core._redact import REDACTED, Secrets
from openrouter_core._response import NEEDS_BODY, failure_error, match
from openrouter_core._result import Err, HTTPExchange, Ok
from openrouter_core._retries import retry_after_ms

if TYPE_CHECKING:
    from openrouter_core._core import ClientHandle, OpenRouterCore
    from openrouter_core._prepare import Plan

__all__ = ["call_flow"]

AnyResult = Ok[Any] | Err[errors.OpenRouterSDKError]
Flow = Generator[Any, Any, AnyResult]


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- the key -------------------------------------------------------------------------------------


def _missing_key(plan: Plan) -> errors.MissingCredentialsError:
    core_ways = "pass api_key to OpenRouterCore/OpenRouter, or set the OPENROUTER_API_KEY environment variable"
    how = core_ways
    if plan.key_field == "security.bearer":
        how = "pass security={'bearer': ...}"
        if plan.env_fallback:
            how += ", or " + core_ways
    return errors.MissingCredentialsError(plan.key_field, f"no API key was given; {how}")


def _resolve_key(plan: Plan) -> Generator[Any, Any, str | Err[errors.OpenRouterSDKError] | None]:
    source = plan.key_source
    key: object = source
    if callable(source):
        try:
            key = yield ResolveKey(source)
        except AsyncCallableInSyncCall:
            return Err(errors.SDKValidationError(plan.key_field, "is an async callable; use the _async function"))
        except Exception as exc:  # only the type: the callable's message might quote the key
            error = errors.UnexpectedClientError(f"the {plan.key_field} callable raised {type(exc).__name__}")
            error.__cause__ = exc
            return Err(error)
    if key is None and plan.env_fallback:
        key = os.environ.get("OPENROUTER_API_KEY")
    if not key:
        return Err(_missing_key(plan)) if plan.needs_key else None
    if not isinstance(key, str):
        return Err(errors.SDKValidationError(plan.key_field, f"expected a string key, got {type(key).__name__}"))
    problem = key_problem(key)
    if problem:
        return Err(errors.SDKValidationError(plan.key_field, f"the key {problem}"))
    return key


def _authorization(plan: Plan, key: str) -> tuple[str, Secrets]:
    scheme, _, token = key.partition(" ")
    has_scheme = plan.key_is_header or scheme.lower() == "bearer"
    # Redact the bare token too: a server may echo it without its scheme.
    secrets = Secrets((key, token.strip() if has_scheme else None))
    return (key if has_scheme else "Bearer " + key), secrets


# --- hooks ---------------------------------------------------------------------------------------


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__qualname__


def _hook_failed(
    kind: str, hook: object, problem: str, request: httpx.Request | None, attempt: int, secrets: Secrets
) -> Err[Any]:
    stored = _stored(request, in_place=False) if request is not None else None
    error = errors.UnexpectedClientError(
        f"{kind} hook {_hook_name(hook)} {secrets.redact(errors.one_line(problem))}", request=stored
    )
    return Err(error, HTTPExchange(stored, None, attempt))


def _run_hook(
    kind: str, hook: Any, args: tuple[Any, ...], allowed: tuple[type, ...], attempt: int, secrets: Secrets
) -> Generator[Any, Any, Any]:
    request = args[1] if isinstance(args[1], httpx.Request) else args[1].request if args[1] is not None else None
    try:
        value = yield RunHook(kind, hook, args)
    except Exception as exc:
        failed = _hook_failed(kind, hook, f"raised {_describe(exc)}", request, attempt, secrets)
        failed.error.__cause__ = exc
        return failed
    if not isinstance(value, allowed):
        expected = " or ".join("None" if t is type(None) else t.__module__ + "." + t.__qualname__ for t in allowed)
        return _hook_failed(
            kind, hook, f"returned {type(value).__name__}, expected {expected}", request, attempt, secrets
        )
    return value


def _before_hooks(
    core: OpenRouterCore, ctx: Any, request: httpx.Request, attempt: int, secrets: Secrets
) -> Generator[Any, Any, httpx.Request | Err[Any]]:
    for hook in core.hooks.before_request:
        request = yield from _run_hook("before_request", hook, (ctx, request), (httpx.Request,), attempt, secrets)
        if isinstance(request, Err):
            return request
    return request


def _after_hooks(
    core: OpenRouterCore, ctx: Any, sent: Sent, attempt: int, secrets: Secrets
) -> Generator[Any, Any, Sent | Err[Any]]:
    response, failure = sent.response, sent.failure
    if response is not None and failure is None and response.status_code < 400:
        for hook in core.hooks.after_success:
            replaced = yield from _run_hook("after_success", hook, (ctx, response), (httpx.Response,), attempt, secrets)
            if isinstance(replaced, Err):
                return replaced
            if replaced is not response:
                response = replaced
                sent = Sent(response, response.content, None)
        return sent
    for on_error in core.hooks.after_error:
        error = None if failure is None else failure.exception
        allowed = (httpx.Response, type(None))
        replaced = yield from _run_hook("after_error", on_error, (ctx, response, error), allowed, attempt, secrets)
        if isinstance(replaced, Err):
            return replaced
        if replaced is not None:
            response, failure = replaced, None
            sent = Sent(response, response.content, None)
    return sent


# --- attempts ------------------------------------------------------------------------------------


def _attempt_timeout(plan: Plan, handle: ClientHandle, core: OpenRouterCore, budget_end: float | None) -> float | None:
    timeout_s = handle.timeout_s(plan.timeout_s)
    if budget_end is not None:
        remaining = max(budget_end - core.clock.monotonic(), 0.001)
        timeout_s = remaining if timeout_s is None else min(timeout_s, remaining)
    return timeout_s


def _stored(request: httpx.Request, *, in_place: bool) -> httpx.Request:
    """What the Result and its errors keep (and a pickle of them holds): the request, without the key.

    For the clients the core created, the request itself (it has been sent, and nothing else holds
    it); for the caller's own clients, a shallow copy with its own headers, so the request their
    transport received is left as sent.
    """
    if in_place:  # the flow set the header itself, and no hook ran to change it
        request.headers["authorization"] = REDACTED
        return request
    if "authorization" not in request.headers:
        return request
    stored = object.__new__(httpx.Request)
    stored.__dict__.update(request.__dict__)
    stored.headers = request.headers.copy()
    stored.headers["authorization"] = REDACTED
    return stored


def _keep_redacted(request: httpx.Request, sent: Sent, *, in_place: bool) -> httpx.Request:
    response = sent.response
    if response is None:
        return _stored(request, in_place=in_place)
    if _has_request(response):
        final = _stored(response.request, in_place=in_place and response.request is request)
    else:
        final = _stored(request, in_place=in_place)
    response.request = final
    return final


def _attempt(
    core: OpenRouterCore,
    plan: Plan,
    handle: ClientHandle,
    auth: str,
    secrets: Secrets,
    attempt: int,
    budget_end: float | None,
) -> Generator[Any, Any, tuple[httpx.Request, Sent, float | None] | Err[Any]]:
    clock = core.clock
    started = clock.monotonic()
    timeout_s = _attempt_timeout(plan, handle, core, budget_end)
    headers = dict(plan.headers)
    if auth:
        headers["authorization"] = auth
    try:
        request = handle.build(plan, headers, timeout_s)
    except Exception as exc:  # httpx refused what we built: an SDK or configuration bug
        message = f"the request could not be built: {secrets.redact(errors.one_line(_describe(exc)))}"
        return Err(errors.InvalidRequestError(message), HTTPExchange(None, None, attempt - 1))
    ctx = None
    if core.hooks:
        from openrouter_core._hooks import HookContext

        ctx = HookContext(plan.operation.id, plan.base_url, attempt, plan.retry.config)
        hooked = yield from _before_hooks(core, ctx, request, attempt, secrets)
        if isinstance(hooked, Err):
            return hooked
        request = hooked
    sent = yield Send(
        request,
        timeout_s=timeout_s,
        limit=plan.limit,
        max_redirects=plan.max_redirects,
        open_statuses=plan.open_statuses,
        owned=handle.owned,
    )
    _log(core, request, sent, (clock.monotonic() - started) * 1000.0, attempt, secrets)
    if core.hooks:
        sent = yield from _after_hooks(core, ctx, sent, attempt, secrets)
        if isinstance(sent, Err):
            return sent
    in_place = bool(auth) and handle.owned and not core.hooks
    return _keep_redacted(request, sent, in_place=in_place), sent, timeout_s


def _log(
    core: OpenRouterCore, request: httpx.Request, sent: Sent, elapsed_ms: float, attempt: int, secrets: Secrets
) -> None:
    if not (DEBUG_LOGGER if core.debug else LOGGER).isEnabledFor(logging.DEBUG):
        return
    response = sent.response
    outcome = str(response.status_code) if response is not None else ""
    if sent.failure is not None:
        outcome = f"{outcome} {_describe(sent.failure.exception)}".strip()
    log_attempt(
        request, outcome, elapsed_ms, attempt, debug=core.debug, secrets=secrets, response=response, body=sent.body
    )


def _retry_wait(core: OpenRouterCore, plan: Plan, sent: Sent, attempt: int, budget_end: float | None) -> float | None:
    """Seconds to wait before the next attempt, or ``None`` to stop here."""
    if budget_end is None or core.closed:
        return None
    body = plan.content
    if getattr(body, "consumed", False) and not body.replayable:
        return None  # a streamed upload from a file that cannot be rewound cannot be sent again
    response, failure = sent.response, sent.failure
    status = response.status_code if response is not None and failure is None else None
    if not plan.retry.retryable(status, failure):
        return None
    clock = core.clock
    server_wait = (
        retry_after_ms(response.headers, clock.time()) if status is not None and response is not None else None
    )
    remaining_ms = (budget_end - clock.monotonic()) * 1000.0
    wait_ms = plan.retry.wait_ms(attempt, server_wait, clock.random(), remaining_ms)
    return None if wait_ms is None else wait_ms / 1000.0


def _outcome(
    core: OpenRouterCore,
    plan: Plan,
    request: httpx.Request,
    sent: Sent,
    attempt: int,
    timeout_s: float | None,
    secrets: Secrets,
) -> Flow:
    response = sent.response
    final_request = request  # the last one sent (after redirects), its Authorization redacted
    exchange = HTTPExchange(final_request, response, attempt)
    if sent.failure is not None:
        failed = failure_error(
            sent.failure, final_request, response, timeout_s, secrets, plan.limit, closed=core.closed
        )
        return Err(failed, exchange)
    assert response is not None  # noqa: S101 - a Sent without a failure has a response
    result = match(plan, final_request, response, sent.body, exchange, secrets)
    if result is NEEDS_BODY:  # an open response that is not what the operation streams: read it
        read = yield ReadBody(response, plan.limit, timeout_s)
        if read.failure is not None:
            failed = failure_error(
                read.failure, final_request, response, timeout_s, secrets, plan.limit, closed=core.closed
            )
            return Err(failed, exchange)
        result = match(plan, final_request, response, read.body, exchange, secrets)
    return result  # type: ignore[return-value]


def _has_request(response: httpx.Response) -> bool:
    try:
        response.request  # noqa: B018 - raises when a hook built a response without one
    except RuntimeError:
        return False
    return True


def call_flow(core: OpenRouterCore, plan: Plan, handle: ClientHandle) -> Flow:
    """Run ``plan`` to a Result, yielding each piece of I/O to the driver."""
    key = yield from _resolve_key(plan)
    if isinstance(key, Err):
        return key
    auth, secrets = _authorization(plan, key) if key else ("", Secrets(()))
    retrying = plan.retry.enabled
    budget_end = core.clock.monotonic() + plan.retry.config.backoff.max_elapsed_time / 1000.0 if retrying else None
    attempt = 0
    while True:
        attempt += 1
        done = yield from _attempt(core, plan, handle, auth, secrets, attempt, budget_end)
        if isinstance(done, Err):
            return done
        request, sent, timeout_s = done
        wait_s = _retry_wait(core, plan, sent, attempt, budget_end)
        if wait_s is None:
            return (yield from _outcome(core, plan, request, sent, attempt, timeout_s, secrets))
        reason = str(sent.response.status_code) if sent.failure is None and sent.response is not None else ""
        if sent.failure is not None:
            reason = _describe(sent.failure.exception)
        log_retry(wait_s, attempt, plan.retry.config.max_attempts, reason, debug=core.debug, secrets=secrets)
        yield Sleep(wait_s)
