"""Refusals as pages and JSON bodies: an unknown country, dyad or month is a 404, a record changed by someone else
since it was read a 409, other refused input a 422; a visitor who must sign in is sent to the sign-in page (a
person) or answered 401 (a program), a reader whose role may not see something gets 403.

The JSON body is always ``{"error": {"status": ..., "message": ..., "hint": ...}}``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from prevdip.briefs.locale import say
from prevdip.errors import Conflict, NotAllowed, NotFound, RefusedInput
from prevdip.situation import ReadModel
from prevdip.web._negotiation import respond
from prevdip.web.access import SignInNeeded, answers_json, sign_in_url
from prevdip.web.security import secure

FAILED = {"status": 500, "message": "the dashboard failed on this request", "hint": "its log says why; try again"}


class Problem(ReadModel):
    status: int
    message: str
    hint: str | None
    fields: dict[str, str] | None = None  # for a record refused field by field, each field's problem


class ErrorBody(ReadModel):
    """The body of every refusal: what is wrong and what to do."""

    error: Problem


def error_response(
    request: Request, status: int, message: str, hint: str | None, fields: dict[str, str] | None = None
) -> Response:
    """The error page, or its JSON body, with ``status`` (and, for a record refused field by field, each field's
    problem under ``fields``)."""
    problem = Problem(status=status, message=message, hint=hint, **({"fields": fields} if fields else {}))
    return respond(request, "error.html", ErrorBody(error=problem), status_code=status)


def install(app: FastAPI) -> None:
    """Register the handlers that turn refusals into 401/403/404/422 answers or the way to sign in."""

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, problem: Exception) -> Response:
        if answers_json(request):
            answer = error_response(
                request, 401, "sign in to see this", "send `Authorization: Bearer TOKEN` (`prevdip users token NAME`)"
            )
            answer.headers["WWW-Authenticate"] = "Bearer"
            return answer
        return RedirectResponse(sign_in_url(request), status_code=303)

    @app.exception_handler(RefusedInput)
    async def refused(request: Request, refusal: Exception) -> Response:
        assert isinstance(refusal, RefusedInput)
        status = 404 if isinstance(refusal, NotFound) else 409 if isinstance(refusal, Conflict) else 422
        status = 403 if isinstance(refusal, NotAllowed) else status
        return error_response(request, status, refusal.message, refusal.hint, getattr(refusal, "errors", None))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, problem: Exception) -> Response:
        assert isinstance(problem, HTTPException)
        if problem.status_code == 404:
            return error_response(request, 404, say("errors.not_found"), say("errors.not_found_hint"))
        answer = error_response(request, problem.status_code, str(problem.detail), None)
        answer.headers.update(problem.headers or {})
        return answer

    @app.exception_handler(Exception)
    async def failed(request: Request, problem: Exception) -> Response:
        """A failure of the dashboard itself. Starlette answers it from its outermost middleware, beyond the one that
        adds the security headers, so they are added here; the body names nothing of the failure (it is logged)."""
        answer = JSONResponse({"error": FAILED}, status_code=500)
        secure(answer.headers, request.url.path)
        return answer

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, problem: Exception) -> Response:
        assert isinstance(problem, RequestValidationError)
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in problem.errors())
        return error_response(request, 422, say("errors.bad_request"), details)
