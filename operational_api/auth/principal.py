"""Who is calling: a user or a partner, with the role and agencies that bound what they may see and do."""

from __future__ import annotations

from dataclasses import dataclass

from operational_api.auth.rights import Role
from operational_api.errors import ForbiddenError


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request, and where the request comes from (for the audit trail)."""

    kind: str  # "user" or "partner"
    id: int
    login: str
    role: Role
    agency_ids: frozenset[int] | None  # None: every agency
    workstation: str | None = None
    client_address: str | None = None
    token_id: int | None = None
    password_change_required: bool = False

    def sees_agency(self, agency_id: int | None) -> bool:
        """Whether the caller may see data of ``agency_id``."""
        return self.agency_ids is None or agency_id in self.agency_ids

    def check_agency(self, agency_id: int | None, what: str) -> None:
        """Refuse with ``other_agency`` when ``what`` belongs to an agency the caller is not attached to."""
        if not self.sees_agency(agency_id):
            raise ForbiddenError(
                f"{what} belongs to another agency than yours. Ask a user of that agency, or an administrator to "
                "attach you to it.",
                code="other_agency",
            )


SYSTEM = Principal(kind="system", id=0, login="system", role=Role.ADMIN, agency_ids=None)
