"""``FakeAPI``: the fake itself, without I/O. It records, routes, checks and answers requests.

Every request is routed to its operation (``404``/``405`` otherwise) and read as the API reads it;
then the first queued answer that matches it is served, else the default: ``401`` without a key,
``400`` naming the fields of a bad request, and what the API answers a good one. The connectors
(``_inprocess``, ``_server``) turn the ``Reply`` it returns into bytes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs

from openrouter.testing._requests import RecordedRequest
from openrouter.testing._responses import FakeDownload, FakeResponse
from openrouter.testing._streams import Answer, FakeStream

if TYPE_CHECKING:
    from openrouter.testing._checks import Call
    from openrouter.testing._router import Match, Matcher, Miss
    from openrouter.testing._state import Store
    from openrouter.testing._validator import Problem
    from openrouter.testing._wire import Reply

__all__ = ["INVALID_KEY_MESSAGE", "FakeAPI", "Responder"]

Responder = FakeResponse | FakeStream | FakeDownload | Callable[[RecordedRequest], Answer]
"""A queued answer: a ``FakeResponse``, ``FakeStream`` or ``FakeDownload``, or a function of the request."""

# What OpenRouter says when the key is present but unknown (the documented 401 message is the
# one for a missing header).
INVALID_KEY_MESSAGE = "User not found."
BAD_REQUEST_PREFIX = "Invalid request parameters: "


class FakeAPI:
    """The fake OpenRouter API without a connection: scripting, records, state and answers.

    ``FakeOpenRouter`` adds the connections (in-process transports and the socket server); see it
    for the arguments.
    """

    def __init__(
        self,
        *,
        total_credits: float = 100.5,
        total_usage: float = 25.75,
        api_keys: Iterable[str] | None = None,
        management_keys: Iterable[str] | None = None,
        coinbase_gone: bool = False,
        check_requests: bool = True,
        hang_limit: float = 30.0,
    ) -> None:
        if not 0 < hang_limit < math.inf:
            raise ValueError("hang_limit must be a positive, finite number of seconds")
        self.total_credits = total_credits
        self.total_usage = total_usage
        self.api_keys = None if api_keys is None else frozenset(api_keys)
        self.management_keys = None if management_keys is None else frozenset(management_keys)
        self.coinbase_gone = coinbase_gone
        self.check_requests = check_requests
        self.hang_limit = float(hang_limit)
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._queue: list[tuple[Matcher, Responder]] = []
        self._requests: list[RecordedRequest] = []
        self._released = threading.Event()

    # The routes, the document's data and the answers load on first use, not on import.

    @property
    def store(self) -> Store:
        """What the fake keeps (keys, workspaces, guardrails, ...): ``fake.store.items("/keys")``."""
        with self._lock:
            if self._store is None:
                from openrouter.testing._state import Store

                self._store = Store()
            return self._store

    # --- scripting and inspection ------------------------------------------------------------

    def queue(self, key: str, *responses: Responder) -> None:
        """Queue answers for matching requests, served once each, in order, before the defaults.

        A request the document does not allow still gets its ``400`` and leaves the queue as it was
        (``check_requests=False`` turns the checks off); queued answers skip the key check.

        Args:
            key: which requests: an operation id (``"createKeys"``) or function name
                (``"api_keys_create"``), ``"METHOD /path"`` with a concrete path (``"GET /credits"``)
                or the document's template (``"GET /keys/{hash}"``), ``"/path"`` (any method), or
                ``"*"`` (any request). Paths may include the ``/api/v1`` prefix or not.
            *responses: ``FakeResponse``, ``FakeStream`` or ``FakeDownload`` objects, or functions of
                the ``RecordedRequest`` returning one (called outside the fake's lock, so they may
                call the fake).

        Raises:
            ValueError: the key is malformed or names no operation.
        """
        from openrouter.testing._router import router

        matcher = router().matcher(key)
        for response in responses:
            if not isinstance(response, (FakeResponse, FakeStream, FakeDownload)) and not callable(response):
                raise TypeError(f"queue() takes FakeResponse, FakeStream, FakeDownload or a function; got {response!r}")
        with self._lock:
            self._queue.extend((matcher, response) for response in responses)

    @property
    def pending(self) -> int:
        """How many queued answers have not been served yet."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, key: str) -> list[RecordedRequest]:
        """The requests a queue key would match (``fake.requests_for("chat_send")``), oldest first."""
        from openrouter.testing._router import router

        matcher = router().matcher(key)
        return [r for r in self.requests if matcher.matches(r.method, r.path, r.operation)]

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent request.

        Raises:
            LookupError: no request was received yet.
        """
        with self._lock:
            if not self._requests:
                raise LookupError("the fake has not received any request")
            return self._requests[-1]

    def reset(self) -> None:
        """Forget the recorded requests, drop the queued answers, and start the collections afresh."""
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            store = self._store
        if store is not None:
            store.reset()

    # --- answering ---------------------------------------------------------------------------

    def handle(self, request: RecordedRequest) -> Reply:
        """Record ``request`` and answer it: the first matching queued answer, else the default.

        The connectors call this; tests rarely need to.
        """
        from openrouter.testing._answers import reply
        from openrouter.testing._checks import understand
        from openrouter.testing._router import Match, router

        routed = router().resolve(request.method, request.path, request.headers().get("content-type", ""))
        call: Call | None = None
        problems: list[Problem] = []
        if isinstance(routed, Match):
            request = attrs.evolve(request, operation=routed.route.operation_id)
            call, problems = understand(routed, request, check=self.check_requests)
        with self._lock:
            serial = len(self._requests)
            self._requests.append(request)
            queued: Responder | None = None
            if not problems:  # a bad request gets its 400; the queued answer waits for a good one
                index = next(
                    (
                        i
                        for i, (matcher, _) in enumerate(self._queue)
                        if matcher.matches(request.method, request.path, request.operation)
                    ),
                    None,
                )
                queued = None if index is None else self._queue.pop(index)[1]
        if queued is not None:
            answer = queued if isinstance(queued, (FakeResponse, FakeStream, FakeDownload)) else queued(request)
            return reply(answer, call)
        return reply(self._default(routed, call, problems, request, serial), call)

    def _default(
        self, routed: Match | Miss, call: Call | None, problems: list[Problem], request: RecordedRequest, serial: int
    ) -> Answer:
        from openrouter.testing._answers import default_answer

        refused = self._refused(routed, call, problems, request)
        if refused is not None or call is None:
            return refused or FakeResponse.error(404)
        stored = self.store.answer(call)
        if stored is not None:
            return stored
        settings = {"total_credits": self.total_credits, "total_usage": self.total_usage}
        return default_answer(call, request, serial, settings)

    def _refused(
        self, routed: Match | Miss, call: Call | None, problems: list[Problem], request: RecordedRequest
    ) -> FakeResponse | None:
        """The error the API answers before looking at what was asked, or ``None``."""
        from openrouter.testing._checks import describe
        from openrouter.testing._router import Miss

        if isinstance(routed, Miss) or call is None:
            if isinstance(routed, Miss) and routed.status == 405:
                return FakeResponse.error(405, "Method Not Allowed", headers={"Allow": ", ".join(routed.allowed)})
            return FakeResponse.error(404)
        if call.route.operation_id == "createCoinbaseCharge" and self.coinbase_gone:
            return FakeResponse.error(410)  # today's API: gone for everyone, key or not
        refused = self._unauthorized(call, request)
        if refused is None and problems:
            issues = [{"path": path, "message": message} for path, message in problems]
            return FakeResponse.error(400, BAD_REQUEST_PREFIX + describe(problems), metadata={"issues": issues})
        return refused

    def _unauthorized(self, call: Call, request: RecordedRequest) -> FakeResponse | None:
        """``401`` without an accepted key, ``403`` for a management operation without a management key."""
        if call.route.security == "none":
            return None
        key = request.api_key(reveal=True)
        if key is None:
            return FakeResponse.error(401)
        management = self.management_keys
        if self.api_keys is not None and key not in self.api_keys | (management or frozenset()):
            return FakeResponse.error(401, INVALID_KEY_MESSAGE)
        if call.route.management_key and management is not None and key not in management:
            return FakeResponse.error(403)
        return None

    # --- waiting -----------------------------------------------------------------------------

    def _wait_released(self, seconds: float) -> bool:
        """Block up to ``seconds`` (a delay, pause or hang in process); ``True`` when ``release()`` cut it short."""
        with self._lock:
            released = self._released
        return released.wait(seconds)

    def release(self) -> None:
        """End every wait in progress (delays, pauses, hangs); later waits wait again."""
        with self._lock:
            released, self._released = self._released, threading.Event()
        released.set()
