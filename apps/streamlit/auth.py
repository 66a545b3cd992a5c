"""Who is using the app: login against the operational API, the first password change, and calls made as them.

The API's bearer token is kept in the Streamlit session (``st.session_state``), never in the address or a
cookie: reloading the page starts a new session, which logs in again. The role and agencies come from the API
(``/auth/login`` and ``/auth/me``); the screens a role sees are listed in ``navigation.py``, and the agencies
in :meth:`User.scope` filter every analytic query.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from api import ApiProblem, Reply, client, forget_reads, get_cached, operation_right
from data.scope import Scope
from data.warehouse import MartsUnavailable, settings
from i18n import has_label, t

SESSION_KEY = "yeelen.user"
# Codes that mean the token is no longer good: the user must log in again.
SESSION_OVER = {"invalid_token", "token_expired", "token_revoked", "unauthorized", "account_disabled"}


@dataclass(frozen=True)
class User:
    """The logged-in user as the API describes them."""

    login: str
    full_name: str
    role: str
    all_agencies: bool
    agencies: tuple[str, ...]
    rights: frozenset[str]
    password_change_required: bool
    token: str

    @property
    def scope(self) -> Scope:
        """The agencies whose rows this user may see."""
        return Scope(self.all_agencies, tuple(sorted(self.agencies)))

    def may(self, right: str | None) -> bool:
        """Whether the user holds ``right`` (an API action such as ``cashdesk.payment.create``)."""
        return right is not None and right in self.rights


def api_url() -> str:
    """Address of the operational API (``YEELEN_API_URL``)."""
    try:
        return settings().api_url
    except MartsUnavailable:
        return "http://127.0.0.1:8000"


def user_from(token: str, me: Mapping[str, Any]) -> User:
    """A :class:`User` from the API's description of the account (``MeOut``)."""
    return User(
        login=str(me["login"]),
        full_name=str(me.get("full_name") or me["login"]),
        role=str(me["role"]),
        all_agencies=bool(me.get("all_agencies")),
        agencies=tuple(me.get("agencies") or ()),
        rights=frozenset(me.get("rights") or ()),
        password_change_required=bool(me.get("password_change_required")),
        token=token,
    )


def session_state_for(token: str, me: Mapping[str, Any]) -> dict[str, Any]:
    """What the session keeps of a login (also used by tests to start a session already logged in)."""
    return {"token": token, "me": dict(me)}


def current_user() -> User | None:
    """The logged-in user of this session, or None."""
    kept = st.session_state.get(SESSION_KEY)
    if not kept:
        return None
    return user_from(kept["token"], kept["me"])


def log_in(login: str, password: str) -> User:
    """Log in with the API; the token and account are kept in the session."""
    reply = client(api_url()).request("POST", "/auth/login", body={"login": login, "password": password})
    token = reply.body["access_token"]
    me = {**reply.body["user"], "password_change_required": reply.body.get("password_change_required", False)}
    st.session_state[SESSION_KEY] = session_state_for(token, me)
    return user_from(token, me)


def refresh_account() -> User | None:
    """Read the account again from the API (after a password change)."""
    user = current_user()
    if user is None:
        return None
    me = client(api_url()).request("GET", "/auth/me", token=user.token).body
    st.session_state[SESSION_KEY] = session_state_for(user.token, me)
    return user_from(user.token, me)


def log_out() -> None:
    """Revoke the token at the API (best effort) and forget the session's user and screens' state."""
    user = current_user()
    if user is not None:
        # An expired token is already as good as revoked: a refusal here changes nothing.
        with contextlib.suppress(ApiProblem):
            client(api_url()).request("POST", "/auth/logout", token=user.token)
    language = st.session_state.get("language")
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if language:
        st.session_state["language"] = language


def call(
    method: str,
    path: str,
    *,
    params: Mapping[str, object] | None = None,
    body: object | None = None,
    headers: Mapping[str, str] | None = None,
    file: tuple[bytes, str] | None = None,
) -> Reply:
    """A request made as the logged-in user; writes clear the cached reads."""
    user = _required_user()
    try:
        reply = client(api_url()).request(
            method, path, token=user.token, params=params, body=body, headers=headers, file=file
        )
    except ApiProblem as problem:
        _end_session_if_over(problem)
        raise
    if method.upper() != "GET":
        forget_reads()
    return reply


def read(path: str, **params: Hashable) -> Any:
    """A JSON read made as the logged-in user, kept a few seconds so that reruns do not ask again."""
    user = _required_user()
    present = {key: value for key, value in params.items() if value is not None}
    try:
        return get_cached(api_url(), user.token, path, **present)
    except ApiProblem as problem:
        _end_session_if_over(problem)
        raise


def idempotency_key() -> str:
    """A new key for a write that the API records once, however often it is sent."""
    return uuid.uuid4().hex


def offers(method: str, path: str) -> tuple[bool, bool]:
    """Whether the API offers an operation, and whether the logged-in user holds the right it requires."""
    available, right = operation_right(api_url(), method, path)
    user = current_user()
    return available, bool(available and user is not None and user.may(right))


def refusal(problem: ApiProblem) -> str:
    """A refusal of the API in the screen's language: our own words for the codes we know, else the API's."""
    key = f"api.{problem.code}"
    if problem.code == "api_unreachable":
        return t(key, detail=problem.message)
    if has_label(key):
        return t(key)
    return problem.message


def show_refusal(problem: ApiProblem) -> None:
    """Show a refusal as a message a clerk can act on (never a stack trace), with the API's own words below
    when they say more (which rule a password breaks, which field is wrong)."""
    text = refusal(problem)
    if problem.status == 0:
        st.error(text, icon=":material/cloud_off:")
        return
    if problem.status in (401, 403):
        st.warning(text, icon=":material/lock:")
    else:
        st.error(text, icon=":material/block:")
    if problem.message and problem.message != text:
        st.caption(t("api.detail", detail=problem.message))


def _required_user() -> User:
    user = current_user()
    if user is None:
        raise ApiProblem(401, "unauthorized", "Not logged in.")
    return user


def _end_session_if_over(problem: ApiProblem) -> None:
    if problem.status == 401 and problem.code in SESSION_OVER:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state["yeelen.login_notice"] = problem.code


# --- the two screens of a user who is not in yet --------------------------------------------------------------------


def login_screen() -> None:
    """The login form: login and password, checked by the API."""
    st.title(t("login.title"))
    st.caption(t("login.caption"))
    notice = st.session_state.pop("yeelen.login_notice", None)
    if notice:
        st.info(t("login.session_over"), icon=":material/timer_off:")
    with st.form("login.form"):
        login = st.text_input(t("login.login"), key="login.login", autocomplete="username")
        password = st.text_input(t("login.password"), type="password", key="login.password")
        submitted = st.form_submit_button(t("login.submit"), type="primary")
    if submitted:
        if not login or not password:
            st.warning(t("login.missing"))
            return
        try:
            log_in(login.strip(), password)
        except ApiProblem as problem:
            show_refusal(problem)
            return
        st.rerun()


def password_screen() -> None:
    """The first (or expired) password must be changed before any screen opens."""
    user = current_user()
    st.title(t("password.title"))
    st.info(t("password.required", login=user.login if user else ""), icon=":material/key:")
    with st.form("password.form"):
        current = st.text_input(t("password.current"), type="password", key="password.current")
        new = st.text_input(t("password.new"), type="password", key="password.new")
        again = st.text_input(t("password.again"), type="password", key="password.again")
        submitted = st.form_submit_button(t("password.submit"), type="primary")
    st.caption(t("password.rules"))
    if submitted:
        if new != again:
            st.warning(t("password.mismatch"))
            return
        try:
            call("POST", "/auth/password", body={"current_password": current, "new_password": new})
            refreshed = refresh_account()
        except ApiProblem as problem:
            show_refusal(problem)
            return
        if refreshed is None or refreshed.password_change_required:
            st.warning(t("password.still_required"))
            return
        st.session_state["yeelen.password_changed"] = dt.datetime.now(dt.UTC).isoformat()
        st.rerun()


def account_box(user: User) -> None:
    """The sidebar's box: who is logged in, with which role and agencies, and the logout button."""
    with st.sidebar.container(border=True):
        st.markdown(f"**{user.full_name}** · `{user.login}`")
        agencies = t("account.all_agencies") if user.all_agencies else ", ".join(user.agencies) or "—"
        st.caption(t("account.role_and_agencies", role=t(f"role.{user.role}"), agencies=agencies))
        if st.button(t("account.logout"), key="account.logout", icon=":material/logout:"):
            log_out()
            st.rerun()
    if st.session_state.pop("yeelen.password_changed", None):
        st.toast(t("password.changed"), icon=":material/check:")
