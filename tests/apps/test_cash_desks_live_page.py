"""Cash desks live, for supervisors: every desk of their agencies, takings by means of payment, cash not yet
deposited; the desks of another agency stay out of sight."""

from __future__ import annotations

import json
import os
import urllib.request

from yeelen.settings import Settings

from .conftest import api_login, assert_no_exception, run_screen


def api(method: str, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{os.environ['YEELEN_API_URL']}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method=method,
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_desk_open_in_dakar_is_seen_by_the_supervisor_of_dakar_only(published: Settings, own_api: str) -> None:
    token = api_login("desk-dkp")["access_token"]
    session = api("POST", "/cashdesk/sessions", token, {"agency_code": "DKP"})
    api("POST", "/cashdesk/payments", token, {"customer_reference": "C0000001", "amount": 3_000, "method": "cash"})

    app = run_screen("cash-desks-live")
    assert_no_exception(app)
    sessions = app.dataframe[0].value
    desk = sessions[sessions["id"] == session["id"]]
    assert list(desk["cashier"]) == ["desk-dkp"] and list(desk["taken"]) == [3_000]
    assert set(sessions["agency_code"]) == {"DKP"}
    assert app.get("plotly_chart"), "amounts by means of payment"
    assert next(item.value for item in app.metric if item.label == "Caisses ouvertes") != "0"

    other = run_screen("cash-desks-live", login="supervisor-ths")
    assert_no_exception(other)
    shown = [frame.value for frame in other.dataframe]
    assert all("desk-dkp" not in frame.to_string() for frame in shown)


def test_a_manager_sees_the_desks_of_every_agency(published: Settings) -> None:
    app = run_screen("cash-desks-live", login="manager")

    assert_no_exception(app)
    assert not app.error
