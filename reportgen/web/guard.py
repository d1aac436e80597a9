"""ASGI middleware around every request: security headers, the body size limit and the optional access token."""

from __future__ import annotations

import hashlib
import hmac
import json
from http.cookies import SimpleCookie

from reportgen.web.uploads import Limits, too_large

# No script at all, styles only from our own file, no frames, forms only back to us.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
NO_STORE = {"cache-control": "no-store"}  # answers carry an agency's figures: no proxy or browser cache keeps them
TOKEN_COOKIE = "reportgen_token"
OPEN_PATHS = ("/login", "/static/", "/healthz")


def _with_headers(send, extra: dict[str, str]):
    async def sending(message):
        if message["type"] == "http.response.start":
            headers = [(name, value) for name, value in message.get("headers", [])
                       if name.decode("latin-1").lower() not in extra]
            message["headers"] = headers + [(name.encode(), value.encode()) for name, value in extra.items()]
        await send(message)

    return sending


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        extra = SECURITY_HEADERS if scope["path"].startswith("/static/") else {**SECURITY_HEADERS, **NO_STORE}
        await self.app(scope, receive, _with_headers(send, extra))


class BodyLimit:
    """Counts the body as it arrives: a chunked upload without Content-Length cannot slip past the limit."""

    def __init__(self, app, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        received = 0

        async def counting():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limits.upload_bytes:
                raise too_large(self.limits)
            return message

        await self.app(scope, counting, send)


def cookie_value(token: str) -> str:
    """What the browser keeps after logging in: a digest, so the token itself is not stored in the cookie jar."""
    return hashlib.sha256(f"reportgen-web:{token}".encode()).hexdigest()


class TokenGuard:
    """With a token set, every request but the login page needs it: a Bearer header or the login cookie."""

    def __init__(self, app, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.token or scope["path"].startswith(OPEN_PATHS) or self._allowed(scope):
            return await self.app(scope, receive, send)
        if scope["path"].startswith("/api/"):
            await _send_json(send, 401, {"error": "需要访问令牌：请在请求头中加入 Authorization: Bearer 令牌"})
        else:
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", b"/login"), (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})

    def _allowed(self, scope) -> bool:
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        bearer = headers.get("authorization", "")
        if bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:].strip().encode(), self.token.encode()):
            return True
        cookie = SimpleCookie(headers.get("cookie", "")).get(TOKEN_COOKIE)
        return cookie is not None and hmac.compare_digest(cookie.value, cookie_value(self.token))


async def _send_json(send, status: int, body: dict) -> None:
    content = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(content)).encode())]})
    await send({"type": "http.response.body", "body": content})
