"""Prepare the database of ``benchmarks/http_serving.py`` and print what the load needs (JSON).

Run with the example's settings and the benchmark's ``DATABASE_URL``: migrates, seeds the demo
(its clients with the shipped secret hasher), replaces the claims with the benchmark's 50
definitions (a groups claim and 49 expressions, everywhere), adds a client-credentials client
whose secret is stored unhashed, and an access token (scope ``openid profile email groups``)
of a user in four groups for userinfo, and an active ES256 signing key.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_project.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from oauth2_provider.models import get_access_token_model, get_application_model  # noqa: E402

from benchmarks.token_endpoint import seed_claims  # noqa: E402

CLIENT_ID = "bench-service"
CLIENT_SECRET = "bench-service-secret-Tx4Hq9Lm2Wz7Kc3Rv8Np"  # noqa: S105


def main() -> None:
    from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET

    definitions = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", verbosity=0, stdout=quiet)
    with open(os.devnull, "w") as quiet:
        call_command("rotate_signing_keys", algorithm=["ES256"], activate_now=True, stdout=quiet)
    seed_claims(definitions)
    Application = get_application_model()
    service, _ = Application.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults=dict(
            name="Benchmark service",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=CLIENT_SECRET,
            hash_client_secret=False,
            algorithm=Application.RS256_ALGORITHM,
        ),
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"email": "bench@example.com", "first_name": "Ben"}
    )
    names = ["Everyone", "engineering", "eng-admins", "sales"]
    user.groups.set(Group.objects.get_or_create(name=name)[0] for name in names)
    token = secrets.token_urlsafe(32)
    get_access_token_model().objects.create(
        user=user,
        application=Application.objects.get(client_id="demo-web"),
        token=token,
        expires=timezone.now() + timedelta(days=1),
        scope="openid profile email groups",
    )
    json.dump(
        {
            "client": [CLIENT_ID, CLIENT_SECRET],
            "demo_client": ["demo-service", DEMO_SERVICE_SECRET],
            "userinfo_token": token,
            "service_pk": service.pk,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
