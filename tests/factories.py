"""factory-boy factories for users, groups, DOT applications and claim configuration."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oauth2_provider.models import get_application_model

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.claim_tests import ClaimTest


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"group-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "password"; ``groups=[...]`` adds group objects or names."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = "Ada"
    last_name = "Lovelace"
    password = factory.django.Password("password")

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        self.groups.add(
            *(
                Group.objects.get_or_create(name=g)[0] if isinstance(g, str) else g
                for g in extracted
            )
        )


# Every test client's secret: long and random enough for the rule on hand-set secrets.
CLIENT_SECRET = "test-client-secret-Qe8Wr3Ty6Ui1Op5As9Df"  # noqa: S105


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A confidential authorization-code client (DOT's swappable application model)."""

    class Meta:
        model = get_application_model()

    name = factory.Sequence(lambda n: f"App {n}")
    client_id = factory.Sequence(lambda n: f"client-{n}")
    client_secret = CLIENT_SECRET
    client_type = "confidential"
    authorization_grant_type = "authorization-code"
    redirect_uris = "https://client.example.com/callback"
    algorithm = "RS256"
    skip_authorization = True
    user = None


class AppProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppProfile
        django_get_or_create = ("application",)

    application = factory.SubFactory(ApplicationFactory)
    data = factory.LazyFunction(dict)


class ClaimDefinitionFactory(factory.django.DjangoModelFactory):
    """An enabled expression claim (ID token and userinfo).

    ``applications=[...]`` selects applications; ``groups_claim=True`` makes a groups claim
    with the starts-with filter (pass ``value=`` the prefix).
    """

    class Meta:
        model = ClaimDefinition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"claim_{n}")
    value_type = ClaimDefinition.ValueType.EXPRESSION
    value = "user.email"
    group_filter = ""
    include_in_id_token = True
    include_in_access_token = False
    include_in_userinfo = True
    scopes = factory.LazyFunction(list)
    enabled = True

    class Params:
        groups_claim = factory.Trait(
            value_type=ClaimDefinition.ValueType.GROUPS,
            group_filter=ClaimDefinition.GroupFilter.STARTS_WITH,
        )

    @factory.post_generation
    def applications(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.applications.add(*extracted)


class ClaimTestFactory(factory.django.DjangoModelFactory):
    """A claim test of the authorization code flow with scope openid; give ``expectations``."""

    class Meta:
        model = ClaimTest

    name = factory.Sequence(lambda n: f"claim test {n}")
    application = factory.SubFactory(ApplicationFactory)
    user = factory.SubFactory(UserFactory)
    grant_type = "authorization_code"
    scopes = factory.LazyFunction(lambda: ["openid"])
    claims_parameter = None
    expectations = factory.LazyFunction(list)
