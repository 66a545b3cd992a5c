"""The documentation says what the code does: every error code is listed, the examples work."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.operational_api.conftest import World

ROOT = Path(__file__).resolve().parents[2]
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
FORMATS = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
MINE = ("errors.py", "auth", "audit", "customers", "accounts", "cashdesk", "mobile_money", "dependencies.py")


def codes_in_code() -> set[str]:
    found: set[str] = set()
    for name in MINE:
        path = ROOT / "operational_api" / name
        for source in [path] if path.is_file() else sorted(path.rglob("*.py")):
            text = source.read_text(encoding="utf-8")
            found |= set(re.findall(r'\bcode\s*=\s*"([a-z_]+)"', text))
            found |= set(re.findall(r'error_body\(\s*"([a-z_]+)"', text))
    found |= set(re.findall(r'\d{3}: "([a-z_]+)"', (ROOT / "operational_api" / "errors.py").read_text()))
    return found


def test_every_error_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)`", API.split("## Errors", 1)[1].split("## The unit of work", 1)[0]))
    missing = sorted(codes_in_code() - documented - {"bad_request", "not_acceptable"})
    assert missing == [], f"error codes missing from docs/api.md: {missing}"


def json_blocks(text: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, flags=re.S) if block.strip()]


def test_the_mobile_money_example_works_as_documented(world: World, client: TestClient) -> None:
    world.invoice(total=15_000)
    blocks = json_blocks(API.split("## Mobile money", 1)[1])
    lookup, request, answer = blocks[0], blocks[1], blocks[2]
    found = client.get("/mobile-money/bills/C0000001", auth=world.partner_auth()).json()
    assert set(found) == set(lookup) and set(found["openInvoices"][0]) == set(lookup["openInvoices"][0])
    response = client.post(
        "/mobile-money/notifications", json=request | {"externalId": "C0000001"}, auth=world.partner_auth()
    ).json()
    assert set(response) == set(answer)
    assert {key: response[key] for key in ("status", "result", "amount", "allocated", "unallocated")} == {
        key: answer[key] for key in ("status", "result", "amount", "allocated", "unallocated")
    }


def test_the_statement_example_imports(world: World, client: TestClient) -> None:
    example = re.search(r"```csv\n(.*?)```", FORMATS.split("## Mobile money statement", 1)[1], flags=re.S).group(1)
    response = client.post(
        "/mobile-money/partners/MTN_MOMO/statements",
        params={"statement_date": "2026-03-01"},
        content=example.encode(),
        headers=world.headers("supervisor") | {"Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["line_count"], response.json()["total"]) == (2, 12_000)


def test_the_cash_desk_examples_are_valid_requests(world: World, client: TestClient) -> None:
    cash, cheque = json_blocks(API.split("## Cash desk", 1)[1].split("## Customer accounts", 1)[0])[:2]
    ours = {"customer_reference": "C0000001"}, {"contract_reference": "P0000001", "invoice_numbers": ["F1"]}
    for body, references in zip((cash, cheque), ours, strict=True):
        response = client.post("/cashdesk/payments/preview", json=body | references, headers=world.headers())
        # No session is open: the request itself was understood.
        assert response.status_code == 409 and response.json()["code"] == "no_open_session", response.text
