"""A real push service on 127.0.0.1, strict the way FCM, Mozilla and Apple are.

It checks every request's VAPID JWT (ES256, signed by the key the device subscribed with,
`aud` equal to the endpoint's origin, `exp` at most 24 hours ahead), its headers, and
decrypts the aes128gcm body with the device's own private key. Deliveries are recorded;
a test can tell a device to answer 410, 429 with Retry-After or 5xx next.
"""

import asyncio
import base64
import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass, field

import http_ece
from aiohttp import web
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

MAX_JWT_LIFETIME = 24 * 3600
_AUTHORIZATION = re.compile(r"vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)")


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Device:
    """A browser's push subscription: its own P-256 key pair and 16-byte auth secret."""

    def __init__(self, application_server_key: str, private_bytes: bytes | None = None):
        if private_bytes is None:
            self.private_key = ec.generate_private_key(ec.SECP256R1())
            self.auth = os.urandom(16)
        else:
            self.private_key = ec.derive_private_key(
                int.from_bytes(private_bytes[:32], "big"), ec.SECP256R1()
            )
            self.auth = private_bytes[32:]
        self.id = uuid.uuid4().hex
        self.application_server_key = application_server_key
        self.endpoint = ""

    def secret(self) -> bytes:
        """Return the private key and auth secret, for another process to decrypt with."""
        number = self.private_key.private_numbers().private_value
        return number.to_bytes(32, "big") + self.auth

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def subscription(self) -> dict:
        """Return what PushSubscription.toJSON() gives the page."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }


@dataclass
class Delivery:
    device_id: str
    payload: dict
    headers: dict
    received_at: float


@dataclass
class Answer:
    status: int
    headers: dict = field(default_factory=dict)


class PushService:
    """The push service, served by aiohttp in a background thread."""

    def __init__(self, cache_tokens: bool = False):
        self.devices: dict[str, Device] = {}
        self.deliveries: list[Delivery] = []
        self.requests: list[tuple[str, float]] = []
        self.rejections: list[str] = []
        self.script: dict[str, list[Answer]] = {}
        self.cache_tokens = cache_tokens
        self._verified: set[str] = set()
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._ready.wait(10)

    # -- control ---------------------------------------------------------------
    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def add(self, device: Device) -> Device:
        device.endpoint = f"{self.url}/push/{device.id}"
        with self._lock:
            self.devices[device.id] = device
        return device

    def new_device(self, application_server_key: str) -> Device:
        return self.add(Device(application_server_key))

    def answer(self, device: Device, *answers: Answer) -> None:
        """Answer the device's next requests this way, in order, before accepting again."""
        with self._lock:
            self.script.setdefault(device.id, []).extend(answers)

    def forget(self, device: Device) -> None:
        """Drop a subscription, as a browser does when the person revokes permission."""
        with self._lock:
            self.devices.pop(device.id, None)

    def delivered_to(self, device: Device) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.device_id == device.id]

    def requests_for(self, device: Device) -> list[float]:
        with self._lock:
            return [at for device_id, at in self.requests if device_id == device.id]

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    # -- serving -----------------------------------------------------------------
    def _serve(self):
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self):
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=8192)
        app.router.add_post("/push/{device_id}", self._receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stopping.wait()
        await runner.cleanup()

    async def _receive(self, request: web.Request) -> web.Response:
        device_id = request.match_info["device_id"]
        body = await request.read()
        with self._lock:
            self.requests.append((device_id, time.time()))
            device = self.devices.get(device_id)
            scripted = self.script.get(device_id)
            answer = scripted.pop(0) if scripted else None
        if device is None:
            return web.Response(status=410, text="no such subscription")
        problem = self.check(request, device, body)
        if problem:
            with self._lock:
                self.rejections.append(problem)
            return web.Response(status=400 if "header" in problem else 403, text=problem)
        if answer is not None:
            return web.Response(status=answer.status, headers=answer.headers)
        try:
            plain = http_ece.decrypt(
                body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
            )
            payload = json.loads(plain)
        except Exception as error:  # noqa: BLE001 - any failure is the sender's fault
            with self._lock:
                self.rejections.append(f"cannot decrypt: {error!r}")
            return web.Response(status=400, text="cannot decrypt")
        delivery = Delivery(device_id, payload, dict(request.headers), time.time())
        with self._lock:
            self.deliveries.append(delivery)
        return web.Response(status=201, headers={"Location": f"/message/{uuid.uuid4().hex}"})

    def check(self, request: web.Request, device: Device, body: bytes) -> str | None:
        """Return why the request is refused, or None."""
        headers = request.headers
        if headers.get("Content-Encoding") != "aes128gcm":
            return "header: Content-Encoding must be aes128gcm"
        if headers.get("Content-Type") != "application/octet-stream":
            return "header: Content-Type must be application/octet-stream"
        if not headers.get("TTL", "").isdigit():
            return "header: TTL missing"
        if headers.get("Urgency") not in ("very-low", "low", "normal", "high"):
            return "header: Urgency missing"
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", headers.get("Topic", "")):
            return "header: Topic missing or not base64url"
        if len(body) > 4096:
            return "header: payload too large"
        match = _AUTHORIZATION.fullmatch(headers.get("Authorization", ""))
        if not match:
            return "header: Authorization is not vapid t=…, k=…"
        token, key = match.groups()
        if key != device.application_server_key:
            return "VAPID key is not the one the device subscribed with"
        if self.cache_tokens and token in self._verified:
            return self._check_claims(token, request)
        try:
            signed, signature = token.rsplit(".", 1)
            raw = unb64url(signature)
            public = ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), unb64url(device.application_server_key)
            )
            der = utils.encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
            header = json.loads(unb64url(signed.split(".")[0]))
        except (InvalidSignature, ValueError):
            return "VAPID signature does not verify"
        if header.get("alg") != "ES256":
            return "VAPID JWT is not ES256"
        problem = self._check_claims(token, request)
        if problem is None and self.cache_tokens:
            self._verified.add(token)
        return problem

    def _check_claims(self, token: str, request: web.Request) -> str | None:
        claims = json.loads(unb64url(token.split(".")[1]))
        origin = f"http://{request.host}"
        if claims.get("aud") != origin:
            return f"VAPID aud {claims.get('aud')!r} is not {origin!r}"
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, int) or not now < exp <= now + MAX_JWT_LIFETIME:
            return "VAPID exp is missing, past, or more than 24 hours ahead"
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            return "VAPID sub is not mailto: or https:"
        return None
