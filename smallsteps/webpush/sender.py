"""Send encrypted pushes concurrently over one HTTP session, retrying the way push services ask.

Nothing here touches the database: a caller hands in messages and the settings to send
them with, and gets back what happened to each, attempt by attempt.
"""

import asyncio
import email.utils
import multiprocessing
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aiohttp
from pywebpush import WebPusher, WebPushException

from .endpoints import Refused, check_endpoint, origin_of
from .vapid import HeaderCache

PAYLOAD_MAX = 3993  # the most a 4096-byte aes128gcm record carries for one push
CHUNK = 50  # messages encrypted together, then posted while the next ones are encrypted
GONE = (404, 410)


@dataclass(frozen=True)
class Message:
    """One payload for one device."""

    key: object
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes


@dataclass
class Attempt:
    """One POST and its answer (`status` None when none came)."""

    attempted_at: datetime
    status: int | None
    error: str = ""


@dataclass
class Result:
    """What became of one message."""

    message: Message
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        """Tell whether the push service accepted the message."""
        return bool(self.attempts) and _accepted(self.attempts[-1].status)

    @property
    def gone(self) -> bool:
        """Tell whether the push service says the subscription no longer exists."""
        return bool(self.attempts) and self.attempts[-1].status in GONE


@dataclass(frozen=True)
class Policy:
    """How sends behave: headers, limits, timeouts and retries.

    The caller's settings have no defaults here; they have one home, the app's config.
    """

    ttl: int
    topic: str
    concurrency: int
    timeout: float
    backoff: float
    # Processes that encrypt beside the sending thread (0: encrypt in it). Encryption is
    # the costliest step and holds the interpreter, so more cores send faster.
    encrypt_processes: int
    allowed_hosts: tuple[str, ...] = ()
    allow_http: bool = False
    urgency: str = "normal"
    max_tries: int = 4
    backoff_cap: float = 30.0
    # A Retry-After longer than this gives up on the message for now.
    longest_wait: float = 120.0


def _accepted(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Return how long a Retry-After header (seconds or an HTTP date) asks to wait."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def encrypt(items: list[tuple[str, str, str, bytes]]) -> list[bytes | str]:
    """Encrypt payloads (aes128gcm) for their devices; a failure becomes a message instead."""
    bodies: list[bytes | str] = []
    for endpoint, p256dh, auth, data in items:
        try:
            if len(data) > PAYLOAD_MAX:
                raise ValueError(f"a push payload carries at most {PAYLOAD_MAX} bytes")
            subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
            bodies.append(WebPusher(subscription).encode(data, "aes128gcm")["body"])
        except (ValueError, TypeError, WebPushException) as error:
            bodies.append(f"not sent: {error}"[:200])
    return bodies


def _quiet_worker() -> None:
    """Leave Ctrl-C to the process that sends, which stops the pool itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Sender:
    """Deliver messages over one reused aiohttp session; call close() when done."""

    def __init__(self, headers: HeaderCache, policy: Policy):
        """Sign with `headers` and behave as `policy` says."""
        self.headers = headers
        self.policy = policy
        self._session: aiohttp.ClientSession | None = None
        self._paused_until: dict[str, float] = {}
        # The loop runs in a thread of its own, so a caller that already runs an event
        # loop (a test harness, an async server) can still send.
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._pool: ProcessPoolExecutor | None = None
        if self.policy.encrypt_processes > 0:
            self._pool = ProcessPoolExecutor(
                self.policy.encrypt_processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_quiet_worker,
            )
            self._pool.submit(encrypt, []).result()  # start the workers now, not mid-send

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def send(self, messages: Iterable[Message]) -> list[Result]:
        """Send every message concurrently and return their results in the same order."""
        return self.start(messages).result()

    def start(self, messages: Iterable[Message]) -> Future:
        """Start sending in the background; the future gives the results, in order."""
        return asyncio.run_coroutine_threadsafe(self._send_all(list(messages)), self._loop)

    def close(self) -> None:
        """Close the HTTP session and stop the event loop."""
        if self._session is not None:
            self._run(self._session.close())
            self._session = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    async def _send_all(self, messages: list[Message]) -> list[Result]:
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self.policy.concurrency)
            timeout = aiohttp.ClientTimeout(total=self.policy.timeout)
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
            )
        gate = asyncio.Semaphore(self.policy.concurrency)
        chunks = [messages[at : at + CHUNK] for at in range(0, len(messages), CHUNK)]
        sent = await asyncio.gather(*(self._send_chunk(chunk, gate) for chunk in chunks))
        return [result for chunk in sent for result in chunk]

    async def _send_chunk(self, chunk: list[Message], gate: asyncio.Semaphore) -> list[Result]:
        """Encrypt a few messages (in the pool, if there is one), then post each of them."""
        items = [(m.endpoint, m.p256dh, m.auth, m.payload) for m in chunk]
        if self._pool is not None:
            bodies = await self._loop.run_in_executor(self._pool, encrypt, items)
        else:
            bodies = encrypt(items)
        deliveries = (self._deliver(m, body, gate) for m, body in zip(chunk, bodies, strict=True))
        return list(await asyncio.gather(*deliveries))

    def _headers(self, endpoint: str) -> dict[str, str]:
        return {
            "Authorization": self.headers.authorization(endpoint),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(self.policy.ttl),
            "Urgency": self.policy.urgency,
            "Topic": self.policy.topic,
        }

    async def _deliver(self, message: Message, body: bytes | str, gate) -> Result:
        result = Result(message)
        policy = self.policy
        origin = origin_of(message.endpoint)
        if isinstance(body, str):
            result.attempts.append(Attempt(datetime.now(UTC), None, body))
            return result
        headers = self._headers(message.endpoint)
        for tries in range(1, policy.max_tries + 1):
            await self._wait_for(origin)
            try:
                # Checked again before each send: the allowlist may have changed since.
                check_endpoint(message.endpoint, policy.allowed_hosts, policy.allow_http)
            except Refused as refusal:
                result.attempts.append(Attempt(datetime.now(UTC), None, f"refused: {refusal}"))
                return result
            status, retry_after, error = await self._post(message.endpoint, body, headers, gate)
            result.attempts.append(Attempt(datetime.now(UTC), status, error))
            if _accepted(status) or status in GONE:
                return result
            if status == 429:
                wait = retry_after_seconds(retry_after)
                wait = wait if wait is not None else self._backoff(tries)
                if wait > policy.longest_wait:
                    return result
                self._paused_until[origin] = max(
                    self._paused_until.get(origin, 0.0), time.monotonic() + wait
                )
            elif status is None or status >= 500:
                if tries < policy.max_tries:
                    await asyncio.sleep(self._backoff(tries))
            else:
                return result  # any other answer will not change by asking again
        return result

    def _backoff(self, tries: int) -> float:
        return min(self.policy.backoff_cap, self.policy.backoff * 2 ** (tries - 1))

    async def _wait_for(self, origin: str) -> None:
        """Wait while the push service at `origin` asked us to slow down."""
        while (delay := self._paused_until.get(origin, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(delay)

    async def _post(self, url, body, headers, gate) -> tuple[int | None, str | None, str]:
        assert self._session is not None
        async with gate:
            try:
                async with self._session.post(
                    url, data=body, headers=headers, allow_redirects=False
                ) as response:
                    await response.read()
                    return response.status, response.headers.get("Retry-After"), ""
            except TimeoutError:
                return None, None, "timed out"
            except aiohttp.ClientError as error:
                return None, None, f"{type(error).__name__}: {error}"[:200]
