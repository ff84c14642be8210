"""Browser-facing security: response headers, and where a login may send you next."""

from __future__ import annotations

from flask import Flask, Response, current_app
from flask_login import current_user

# No inline script or style anywhere: every script and stylesheet is a file on this site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        if response.mimetype == "text/html":
            headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # same-origin, not no-referrer: Flask-WTF checks the Referer on HTTPS form posts.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_user.is_authenticated:
            # Shared phones: a signed-in page must not come back from the cache after log-out.
            headers["Cache-Control"] = "no-store"
            headers.add("Vary", "Cookie")
        if current_app.config.get("HSTS_SECONDS"):
            headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response
