"""The HTTP transport: one lazily created ``httpx.AsyncClient`` (HTTP/2), bounded parallelism,
our own redirect following (credentials never cross origins), retries with backoff.

``httpx`` is imported only when the first request is made: commands that never touch the
network do not pay for importing it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ._auth import CredentialStore
from ._errors import HttpError
from ._redact import redact_url, split_credentials

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10
USER_AGENT = "pyfin/0.1"


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Network knobs. Defaults come from ``PYFIN_CONCURRENT_DOWNLOADS`` (50) and
    ``PYFIN_HTTP_TIMEOUT`` (read timeout, 30 s); retries apply to 5xx, connection errors and
    truncated bodies, waiting ``backoff * 2**attempt`` seconds between tries."""

    concurrency: int = 50
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    http2: bool = True

    @classmethod
    def from_env(cls, **overrides: Any) -> HttpSettings:
        values: dict[str, Any] = {
            "concurrency": _env_int("PYFIN_CONCURRENT_DOWNLOADS", 50),
            "read_timeout": _env_float("PYFIN_HTTP_TIMEOUT", 30.0),
        }
        values.update(overrides)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Response:
    """A fully read response: final ``url`` (after redirects), ``status``, ``headers``
    (lowercase names), ``body``."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes


class Retry(Exception):
    """Raised inside a retried operation to ask for another attempt (``reason`` is kept)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class HttpClient:
    """Sends requests for ``RegistryClient``. Safe to use from several event loops in turn: a
    client and semaphore are made per running loop."""

    def __init__(self, settings: HttpSettings, credentials: CredentialStore) -> None:
        self.settings = settings
        self.credentials = credentials
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None

    def _ensure(self) -> tuple[httpx.AsyncClient, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        if self._client is None or self._semaphore is None or self._loop is not loop:
            import ssl

            import httpx

            s = self.settings
            self._client = httpx.AsyncClient(
                http2=s.http2,
                follow_redirects=False,
                timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
                limits=httpx.Limits(
                    max_connections=s.concurrency, max_keepalive_connections=s.concurrency
                ),
                headers={"User-Agent": USER_AGENT},
                # The system trust store (and SSL_CERT_FILE / SSL_CERT_DIR), not certifi's:
                # corporate proxies install their CA there.
                verify=ssl.create_default_context(),
                trust_env=True,
            )
            self._semaphore = asyncio.Semaphore(s.concurrency)
            self._loop = loop
        return self._client, self._semaphore

    async def aclose(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None
        self._semaphore = None
        self._loop = None

    @asynccontextmanager
    async def stream(
        self, url: str, headers: Mapping[str, str] | None = None
    ) -> AsyncIterator[httpx.Response]:
        """One GET (no retry), redirects followed by hand, inside the concurrency bound.

        ``Authorization`` is computed per hop from the credential store, so a cross-origin
        redirect never carries the first origin's credentials. Raises ``HttpError`` on
        transport errors (with the underlying httpx error as cause) and too many redirects.
        """
        import httpx

        client, semaphore = self._ensure()
        async with semaphore:
            current = url
            for _hop in range(_MAX_REDIRECTS + 1):
                request_headers = dict(headers or {})
                auth = self.credentials.authorization(current)
                if auth is not None:
                    request_headers["Authorization"] = auth
                try:
                    request = client.build_request("GET", current, headers=request_headers)
                    response = await client.send(request, stream=True)
                except httpx.TransportError as exc:
                    raise HttpError(
                        current, None, _describe(exc, self.settings.read_timeout)
                    ) from exc
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    await response.aclose()
                    target = str(response.request.url.join(response.headers["location"]))
                    # userinfo in a Location would become Basic auth inside httpx: drop it
                    current = split_credentials(target)[0]
                    continue
                try:
                    yield response
                finally:
                    await response.aclose()
                return
            raise HttpError(url, None, f"more than {_MAX_REDIRECTS} redirects")

    async def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` and read the body, retrying 5xx, transport errors and cut bodies.

        Statuses below 500 are returned as they are (callers decide what 404 or 304 mean).
        Raises ``HttpError`` once retries are exhausted.
        """

        async def attempt() -> Response:
            import httpx

            async with self.stream(url, headers) as response:
                if response.status_code >= 500:
                    raise Retry(response.reason_phrase, response.status_code)
                try:
                    body = await response.aread()
                except httpx.TransportError as exc:
                    raise Retry(_describe(exc, self.settings.read_timeout)) from exc
                return Response(
                    str(response.url), response.status_code, dict(response.headers), body
                )

        return await self.retrying(url, attempt)

    async def retrying(self, url: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run ``attempt()`` until it returns, retrying on ``Retry`` and transport
        ``HttpError``s with exponential backoff; then raise ``HttpError``."""
        tries = self.settings.retries + 1
        last: Retry | HttpError | None = None
        for number in range(tries):
            if number:
                await asyncio.sleep(self.settings.backoff * 2 ** (number - 1))
            try:
                return await attempt()
            except Retry as exc:
                last = exc
            except HttpError as exc:
                if exc.status is not None:
                    raise
                last = exc
        assert last is not None
        raise HttpError(url, last.status, last.reason, attempts=tries) from last


def _describe(exc: BaseException, read_timeout: float | None = None) -> str:
    """A short, credential-free description of a transport error."""
    import httpx

    kind = type(exc).__name__
    if isinstance(exc, httpx.ReadTimeout) and read_timeout is not None:
        # httpx says only "ReadTimeout": say how long we waited and which knob sets it.
        return f"{kind}: no data for {read_timeout:g} s (PYFIN_HTTP_TIMEOUT sets this limit)"
    text = str(exc) or kind
    return redact_url(text if text.startswith(f"{kind}:") else f"{kind}: {text}")
