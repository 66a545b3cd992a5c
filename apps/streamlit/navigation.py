"""The screens of the app and who sees them: the one place where roles are mapped to screens.

Read by the entrypoint (which builds ``st.navigation`` for the logged-in user's role), by the screenshot script
and by the tests. Roles are those of the operational API (``operational_api/auth/rights.py``); ``api_rights``
lists the API actions a screen calls, and a test checks that every role given the screen holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent

ADMIN = "admin"
SUPERVISOR = "supervisor"
CASHIER = "cashier"
BILLING_CLERK = "billing_clerk"
CUSTOMER_CLERK = "customer_clerk"
MANAGER = "manager"
FIELD_PLANNER = "field_planner"
DATA_ENGINEER = "data_engineer"
ROLES = (ADMIN, SUPERVISOR, CASHIER, BILLING_CLERK, CUSTOMER_CLERK, MANAGER, FIELD_PLANNER, DATA_ENGINEER)


@dataclass(frozen=True)
class Screen:
    """A page of the app: its file under ``app_pages/``, its address, its labels and the roles that see it."""

    file: str
    url_path: str
    title_key: str
    section_key: str
    icon: str
    made_for: str
    roles: frozenset[str]
    api_rights: frozenset[str] = frozenset()

    @property
    def path(self) -> Path:
        return APP_DIR / "app_pages" / self.file

    def visible_to(self, role: str) -> bool:
        """Whether a user of ``role`` sees this screen."""
        return role == self.made_for or role in self.roles


SCREENS: tuple[Screen, ...] = (
    Screen(
        file="supervision.py",
        url_path="supervision",
        title_key="supervision.title",
        section_key="nav.section.management",
        icon=":material/monitoring:",
        made_for=MANAGER,
        roles=frozenset({MANAGER, ADMIN, SUPERVISOR}),
    ),
    Screen(
        file="losses.py",
        url_path="losses",
        title_key="losses.title",
        section_key="nav.section.management",
        icon=":material/bolt:",
        made_for=MANAGER,
        roles=frozenset({MANAGER, DATA_ENGINEER, ADMIN}),
    ),
    Screen(
        file="cash_desks_live.py",
        url_path="cash-desks-live",
        title_key="desks.title",
        section_key="nav.section.management",
        icon=":material/point_of_sale:",
        made_for=SUPERVISOR,
        roles=frozenset({SUPERVISOR, MANAGER, ADMIN}),
        api_rights=frozenset({"cashdesk.supervise", "cashdesk.deposit.read"}),
    ),
    Screen(
        file="billing_control.py",
        url_path="billing-control",
        title_key="billing.title",
        section_key="nav.section.billing",
        icon=":material/receipt_long:",
        made_for=BILLING_CLERK,
        roles=frozenset({BILLING_CLERK, SUPERVISOR, MANAGER, ADMIN}),
    ),
    Screen(
        file="customer_account.py",
        url_path="customer-account",
        title_key="customer.title",
        section_key="nav.section.customers",
        icon=":material/person_search:",
        made_for=CUSTOMER_CLERK,
        roles=frozenset({CUSTOMER_CLERK, BILLING_CLERK, SUPERVISOR, MANAGER, ADMIN}),
        api_rights=frozenset({"customers.read", "accounts.read"}),
    ),
    Screen(
        file="cash_desk.py",
        url_path="cash-desk",
        title_key="cash.title",
        section_key="nav.section.customers",
        icon=":material/payments:",
        made_for=CASHIER,
        roles=frozenset({CASHIER}),
        api_rights=frozenset(
            {
                "customers.read",
                "accounts.read",
                "cashdesk.session.open",
                "cashdesk.session.read",
                "cashdesk.session.close",
                "cashdesk.payment.create",
                "cashdesk.receipt.print",
            }
        ),
    ),
    Screen(
        file="mobile_money.py",
        url_path="mobile-money",
        title_key="mm.title",
        section_key="nav.section.customers",
        icon=":material/phone_android:",
        made_for=SUPERVISOR,
        roles=frozenset({SUPERVISOR, MANAGER, ADMIN, DATA_ENGINEER}),
        api_rights=frozenset({"admin.partners.read", "mobile_money.reconciliation.read"}),
    ),
    Screen(
        file="suspects_map.py",
        url_path="fraud-suspects",
        title_key="suspects.title",
        section_key="nav.section.field",
        icon=":material/policy:",
        made_for=FIELD_PLANNER,
        roles=frozenset({FIELD_PLANNER, MANAGER, ADMIN}),
    ),
    Screen(
        file="recovery_map.py",
        url_path="recovery",
        title_key="recovery.title",
        section_key="nav.section.field",
        icon=":material/power_off:",
        made_for=FIELD_PLANNER,
        roles=frozenset({FIELD_PLANNER, SUPERVISOR, MANAGER, ADMIN}),
    ),
)


def screens_for(role: str) -> tuple[Screen, ...]:
    """The screens a role sees, in the order of the menu."""
    return tuple(screen for screen in SCREENS if screen.visible_to(role))


def screen(url_path: str) -> Screen:
    """The screen at ``url_path``."""
    for candidate in SCREENS:
        if candidate.url_path == url_path:
            return candidate
    raise KeyError(url_path)


def role_for(screen_: Screen) -> str:
    """The role a screen is made for (the one screenshots and browser checks log in as)."""
    return screen_.made_for
