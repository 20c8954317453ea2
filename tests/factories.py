"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory

from pressdesk.accounts.models import Membership, Organisation, OrgKind, Outlet, OutletLevel, User

PASSWORD = "test-password-123"  # noqa: S105


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Cơ quan {n}")
    kind = OrgKind.DEPARTMENT


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    agency = factory.SubFactory(OrganisationFactory, kind=OrgKind.CENTRAL_PRESS)
    name = factory.Sequence(lambda n: f"Ấn phẩm {n}")
    level = OutletLevel.CENTRAL
    domains = factory.Sequence(lambda n: [f"outlet{n}.example.vn"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Người"
    last_name = factory.Sequence(lambda n: f"Dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "viewer"
