"""The operational API as the screens see it: one client that sends requests, and refusals as plain words.

Every write of the app goes through here: the screens never write to a database. The client speaks JSON over
HTTP with the standard library only (the app ships no HTTP package of its own); the user's bearer token is
passed on each call and never stored here. Reads that a screen repeats on every rerun can be cached for a short
while per token (:func:`get_cached`); writes are never cached and clear those reads.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

REQUEST_TIMEOUT_SECONDS = 30.0
READ_TTL_SECONDS = 20
SPEC_TTL_SECONDS = 300
WORKSTATION = "yeelen-web"
_RIGHT_NOTE = re.compile(r"Right: `([^`]+)`")


class ApiProblem(Exception):
    """The API refused a request, or could not be reached (status 0); ``code`` is the API's stable code."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


@dataclass(frozen=True)
class Reply:
    """An answer of the API: its status, its JSON body (or raw bytes for documents), and its headers."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class ApiClient:
    """Sends requests to one API address; holds no user state (the token comes with each call)."""

    def __init__(self, base_url: str, timeout: float = REQUEST_TIMEOUT_SECONDS) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # No proxy: the API is on the utility's own network, and a proxy variable must not divert tokens.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Mapping[str, object] | None = None,
        body: object | None = None,
        headers: Mapping[str, str] | None = None,
        file: tuple[bytes, str] | None = None,
    ) -> Reply:
        """Send one request; raise :class:`ApiProblem` for any refusal or when the API cannot be reached.

        ``body`` is sent as JSON; ``file`` (its bytes and media type, e.g. a partner's CSV statement) as it is.
        """
        query = {key: _param(value) for key, value in (params or {}).items() if value is not None}
        url = f"{self.base_url}{path}" + (f"?{urllib.parse.urlencode(query, doseq=True)}" if query else "")
        sent = {"Accept": "application/json, application/pdf", "X-Workstation": WORKSTATION, **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body, default=str).encode("utf-8")
            sent["Content-Type"] = "application/json"
        elif file is not None:
            data, sent["Content-Type"] = file
        if token:
            sent["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, headers=sent, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return _reply(response.status, response.read(), dict(response.headers.items()))
        except urllib.error.HTTPError as error:
            raise _problem(error.code, error.read(), dict(error.headers.items())) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise ApiProblem(0, "api_unreachable", f"{self.base_url}: {reason}") from None


def _param(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def _reply(status: int, raw: bytes, headers: dict[str, str]) -> Reply:
    kind = next((value for key, value in headers.items() if key.lower() == "content-type"), "")
    if "json" in kind:
        return Reply(status, json.loads(raw.decode("utf-8")) if raw else None, headers)
    return Reply(status, raw, headers)


def _problem(status: int, raw: bytes, headers: dict[str, str]) -> ApiProblem:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = None
    if isinstance(body, dict):
        message = body.get("message") or body.get("detail") or f"HTTP {status}"
        return ApiProblem(status, str(body.get("code") or f"http_{status}"), str(message), body.get("details"))
    return ApiProblem(status, f"http_{status}", raw.decode("utf-8", "replace")[:300] or f"HTTP {status}")


@st.cache_resource(show_spinner=False)
def client(base_url: str) -> ApiClient:
    """The one client of an API address for the whole process."""
    return ApiClient(base_url)


@st.cache_data(ttl=READ_TTL_SECONDS, max_entries=2048, show_spinner=False)
def _get_cached(base_url: str, token: str, path: str, params: tuple[tuple[str, Hashable], ...]) -> Any:
    return client(base_url).request("GET", path, token=token, params=dict(params)).body


def get_cached(base_url: str, token: str, path: str, **params: Hashable) -> Any:
    """A JSON read kept for a few seconds per token, so that reruns of a screen do not ask again."""
    return _get_cached(base_url, token, path, tuple(sorted(params.items())))


def forget_reads() -> None:
    """Drop cached reads after a write, so that the next screen shows what the write changed."""
    _get_cached.clear()


@st.cache_data(ttl=SPEC_TTL_SECONDS, show_spinner=False)
def _operations(base_url: str) -> dict[tuple[str, str], str | None]:
    spec = client(base_url).request("GET", "/openapi.json").body or {}
    operations: dict[tuple[str, str], str | None] = {}
    for path, methods in (spec.get("paths") or {}).items():
        for method, operation in methods.items():
            found = _RIGHT_NOTE.search(operation.get("description") or "")
            operations[method.upper(), path] = found.group(1) if found else None
    return operations


def operation_right(base_url: str, method: str, path: str) -> tuple[bool, str | None]:
    """Whether the API offers ``method path`` (a template such as ``/billing/batches/{id}/approve``), and the
    right it requires, as its OpenAPI document states them."""
    try:
        operations = _operations(base_url)
    except ApiProblem:
        return False, None
    wanted = _shape(path)
    for (known_method, known_path), right in operations.items():
        if known_method == method.upper() and _shape(known_path) == wanted:
            return True, right
    return False, None


def _shape(path: str) -> str:
    # Parameter names differ between documents ({id}, {batch_id}); only the shape of the path matters.
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))
