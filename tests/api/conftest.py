"""Fixtures of the claim-test gate's API tests: a claim read from an app profile, and a claim
test that holds while it does."""

from __future__ import annotations

import pytest

from tests.api_helpers import gold
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)


@pytest.fixture
def portal():
    app = ApplicationFactory(client_id="portal")
    AppProfileFactory(application=app, data={"tier": "gold"})
    return app


@pytest.fixture
def tier(portal):
    """A claim read from the profile, and a test that it is gold."""
    definition = ClaimDefinitionFactory(name="tier", value="app.profile.tier")
    ClaimTestFactory(
        name="portal users are gold", application=portal, user=UserFactory(), expectations=[gold()]
    )
    return definition
