"""Entries for the authorisation matrix (tests/security/test_authorization_matrix.py) for every
commissioning page and API operation, with that matrix's placeholder ids (objects that do not exist).

The lead can merge them with `TABLE.update(COMMISSIONING_ACCESS)`; test_routes_access.py checks them now.
Behaviour on real objects, persona by persona, is tested in test_access.py.
"""

from __future__ import annotations

from pressdesk.accounts.models import Role
from tests.security.routes import ANONYMOUS, PERSONAS, Access, allowed_for, api_only, nobody, only, signed_in

ALL_ROLES = frozenset(Role.values)
# A POST to a nonexistent object: every signed-in persona gets past login to the object lookup (404).
LOOKUP = {**dict.fromkeys(PERSONAS, True), ANONYMOUS: False}
POST_ONLY = {**dict.fromkeys(PERSONAS, 405), ANONYMOUS: 302}

COMMISSIONING_ACCESS: dict[str, Access] = {
    "commissioning:index": Access(get=signed_in(), post=nobody()),
    "commissioning:round_open": Access(
        get=only({Role.COMMISSIONING_OFFICER}), post=allowed_for({Role.COMMISSIONING_OFFICER})
    ),
    **{
        f"commissioning:{name}": Access(get=signed_in(404), post=nobody())
        for name in ("round", "proposal", "package", "contract", "attachment")
    },
    **{
        f"commissioning:{name}": Access(get=POST_ONLY, post=LOOKUP)
        for name in (
            "round_action",
            "proposal_action",
            "proposal_item_remove",
            "item_appraise",
            "package_action",
            "contract_action",
            "delivery_action",
            "amendment_action",
            "attachment_upload",
        )
    },
    **{
        f"commissioning:{name}": Access(get=signed_in(404), post=LOOKUP)
        for name in ("proposal_item_edit", "contract_item_edit")
    },
    **{
        f"GET /api/commissioning/{path}": Access(get=api_only(ALL_ROLES))
        for path in ("rounds", "proposals", "packages", "contracts")
    },
    **{
        f"GET /api/commissioning/{path}": Access(get=api_only(frozenset(), denied=404))
        for path in (
            "rounds/{pk}",
            "proposals/{pk}",
            "packages/{pk}",
            "contracts/{pk}",
            "contracts/{pk}/deliveries",
        )
    },
    # Writes: with `{}` the matrix checks the anonymous refusal (401) and "no 500" for everyone.
    **{
        f"{method} /api/commissioning/{path}": Access(post=allowed_for(ALL_ROLES))
        for method, path in (
            ("POST", "rounds"),
            ("POST", "rounds/{pk}/close"),
            ("POST", "rounds/{pk}/extend"),
            ("POST", "rounds/{pk}/select"),
            ("POST", "rounds/{pk}/packages"),
            ("POST", "proposals"),
            ("POST", "proposals/{pk}/items"),
            ("POST", "proposals/{pk}/{action}"),
            ("PUT", "items/{pk}"),
            ("DELETE", "items/{pk}"),
            ("POST", "items/{pk}/appraise"),
            ("POST", "packages/{pk}/submit"),
            ("POST", "packages/{pk}/approve"),
            ("POST", "packages/{pk}/return"),
            ("POST", "packages/{pk}/contracts"),
            ("POST", "contracts/{pk}/sign"),
            ("POST", "contracts/{pk}/start"),
            ("POST", "contracts/{pk}/mark-delivered"),
            ("POST", "contracts/{pk}/accept"),
            ("POST", "contracts/{pk}/settle"),
            ("POST", "contracts/{pk}/terminate"),
            ("POST", "contracts/{pk}/deliveries"),
            ("POST", "deliveries/{pk}/accept"),
            ("POST", "deliveries/{pk}/reject"),
            ("POST", "contracts/{pk}/acceptances"),
            ("POST", "contracts/{pk}/payments"),
            ("POST", "contracts/{pk}/amendments"),
            ("POST", "amendments/{pk}/approve"),
            ("POST", "amendments/{pk}/reject"),
        )
    },
}
