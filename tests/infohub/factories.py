"""Factories of the information hub's tests."""

from __future__ import annotations

from typing import Any

import pytest

from pressdesk.accounts.models import OrgKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


class Body:
    """A body with its officer, head and spokesperson."""

    def __init__(self, name: str = "") -> None:
        self.org = OrganisationFactory(kind=OrgKind.LOCALITY, **({"name": name} if name else {}))
        self.officer = _user(Role.BODY_OFFICER, self.org)
        self.head = _user(Role.BODY_HEAD, self.org)
        self.spokesperson = _user(Role.SPOKESPERSON, self.org)


def _user(role: str, org: Any) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organisation=org, role=role)
    return user


def press_user(role: str = Role.RESIDENT_REPORTER) -> Any:
    kind = OrgKind.REPRESENTATIVE_OFFICE if role == Role.RESIDENT_REPORTER else OrgKind.PROVINCIAL_PRESS
    return _user(role, OrganisationFactory(kind=kind))


@pytest.fixture
def body(db: Any) -> Body:
    return Body()


@pytest.fixture
def other_body(db: Any) -> Body:
    return Body()
