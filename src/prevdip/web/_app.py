"""The FastAPI application factory: pages, JSON twins, vendored assets, self-hosted API docs, errors."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

import prevdip
from prevdip.settings import Settings, get_settings
from prevdip.web import _errors, _routes
from prevdip.web._negotiation import VENDOR

STATIC = Path(str(files("prevdip.web").joinpath("static")))


def create_app(settings: Settings | None = None) -> FastAPI:
    """The dashboard for the workspace of ``settings`` (the process settings when not given)."""
    app = FastAPI(
        title="prevdip",
        version=prevdip.__version__,
        description="JSON twins of the dashboard pages of the regional centre for preventive diplomacy. "
        "Every page answers JSON when asked with `Accept: application/json` or with `.json` added to its path.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings or get_settings()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(_routes.router)
    _errors.install(app)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="prevdip API",
            swagger_js_url=f"/static/vendor/{VENDOR['swagger_js']}",
            swagger_css_url=f"/static/vendor/{VENDOR['swagger_css']}",
            swagger_favicon_url="/static/favicon.svg",
            swagger_ui_parameters={"validatorUrl": None},
        )

    return app
