"""The FastAPI application factory: pages, JSON twins, sign-in, vendored assets, self-hosted API docs, errors, and
the security around them (access rules, CSRF, headers, body limits, allowed hosts)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import prevdip
from prevdip.fieldwork.attachments import MOST as MOST_ATTACHMENTS
from prevdip.settings import Settings, get_settings
from prevdip.web import _admin, _errors, _field, _ledger, _routes, _signin
from prevdip.web._audit_trail import AuditTrail
from prevdip.web._identity import Identity
from prevdip.web._negotiation import VENDOR, respond
from prevdip.web.access import OPEN, PUBLIC_BOARD, ROUTES
from prevdip.web.security import BodyLimit, SecurityHeaders

STATIC = Path(str(files("prevdip.web").joinpath("static")))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.trail.flush()  # every read and export noted is in the audit log before the server stops
    app.state.identity.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The dashboard for the workspace of ``settings`` (the process settings when not given)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="prevdip",
        version=prevdip.__version__,
        description="JSON twins of the dashboard pages of the regional centre for preventive diplomacy. "
        "Every page answers JSON when asked with `Accept: application/json` or with `.json` added to its path. "
        "Scripts authenticate with `Authorization: Bearer TOKEN` (`prevdip users token NAME`).",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.identity = Identity(settings)
    app.state.trail = AuditTrail(app.state.identity, settings.workspace)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    ROUTES.declare("GET", "/static", OPEN)
    app.include_router(_signin.router)
    app.include_router(_admin.router)
    app.include_router(_field.router)
    app.include_router(_ledger.router)
    app.include_router(_routes.router)
    app.include_router(_api_docs(app))
    _errors.install(app)
    unruled = ROUTES.unruled(app.routes)
    if unruled:  # fail closed: a route without an access rule is a programming error, not a public page
        raise RuntimeError(f"routes without an access rule: {', '.join(unruled)}")
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips or [])
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts, www_redirect=False)
    limits = {"limit": settings.max_body_bytes, "upload_limit": settings.max_upload_bytes}
    reports = settings.max_attachment_bytes * MOST_ATTACHMENTS + settings.max_body_bytes  # photos, and the form
    own = dict.fromkeys(ROUTES.with_attachments, reports)
    app.add_middleware(BodyLimit, uploads=ROUTES.uploads, limits=own, **limits)
    app.add_middleware(SecurityHeaders)
    return app


def _api_docs(app: FastAPI) -> _routes.APIRouter:
    """The OpenAPI schema and Swagger UI from the vendored assets, under the public board's rule."""
    router = _routes.guarded_router()

    @_routes.route(router, "GET", "/openapi.json", PUBLIC_BOARD, include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @_routes.route(router, "GET", "/api/docs", PUBLIC_BOARD, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        swagger = {"js": f"/static/vendor/{VENDOR['swagger_js']}", "css": f"/static/vendor/{VENDOR['swagger_css']}"}
        return respond(request, "api_docs.html", {"openapi_url": "/openapi.json", "swagger": swagger}, cache=False)

    return router
