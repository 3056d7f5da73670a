"""Check E011: local JWT authentication needs the audience of its API."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from oidc_claims.checks import security as checks_security

LOCAL_AUTH = "oidc_claims.contrib.rest_framework.authentication.JWTAccessTokenAuthentication"


@pytest.mark.parametrize("as_object", [False, True], ids=["dotted-path", "class"])
def test_e010_local_authentication_without_an_audience_is_an_error(as_object):
    from oidc_claims.contrib.rest_framework.authentication import JWTAccessTokenAuthentication

    configured = JWTAccessTokenAuthentication if as_object else LOCAL_AUTH
    with override_settings(REST_FRAMEWORK={"DEFAULT_AUTHENTICATION_CLASSES": [configured]}):
        messages = checks_security.check_resource_server_audience()
        registered = checks.run_checks(tags=["oidc_claims"], databases=[])
    [message] = messages
    assert isinstance(message, checks.Error) and message.id == "oidc_claims.E011"
    assert "OIDC_CLAIMS['RESOURCE_SERVER_AUDIENCE']" in message.hint
    assert "oidc_claims.E011" in {m.id for m in registered}


def test_e010_is_quiet_with_an_audience_or_without_the_class():
    from oidc_claims.contrib.rest_framework.authentication import JWTAccessTokenAuthentication

    with override_settings(
        REST_FRAMEWORK={"DEFAULT_AUTHENTICATION_CLASSES": [JWTAccessTokenAuthentication]},
        OIDC_CLAIMS={"RESOURCE_SERVER_AUDIENCE": "https://api.example.com/"},
    ):
        assert checks_security.check_resource_server_audience() == []
    with override_settings(REST_FRAMEWORK={}):
        assert checks_security.check_resource_server_audience() == []
