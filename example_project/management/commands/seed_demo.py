"""Create (or bring back to a known state) the demo IdP's users, groups and client applications."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from oauth2_provider.models import get_application_model

from example_project.models import ContactDetails
from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Channel
from oidc_claims.models.standard_claims import seed_standard_claims
from oidc_claims.revisions.context import change_context

# The demo clients' secrets (printed by the command): long and random enough to be accepted.
DEMO_WEB_SECRET = "demo-web-secret-Vq7Lx2Rk9Tz4Wn8Bc3Hf6Jm"  # noqa: S105
DEMO_SERVICE_SECRET = "demo-service-secret-Pd5Gs1Ky8Nu3Xe7Qa2Zr6"  # noqa: S105

ADMIN = {"username": "admin", "password": "admin-demo-password", "email": "admin@example.com"}

DEMO_USERS = [
    {
        "username": "alice",
        "password": "alice-demo-password",
        "email": "alice@example.com",
        "first_name": "Alice",
        "last_name": "Anders",
        "groups": ["Everyone", "engineering", "engineering-admins"],
        "contact": {
            "email_verified": True,
            "phone_number": "+1 555 0100",
            "phone_number_verified": True,
            "address": {
                "formatted": "1 Main Street\nSpringfield 12345\nUS",
                "street_address": "1 Main Street",
                "locality": "Springfield",
                "postal_code": "12345",
                "country": "US",
            },
        },
    },
    {
        "username": "bob",
        "password": "bob-demo-password",
        "email": "bob@example.com",
        "first_name": "Bob",
        "last_name": "Berg",
        "groups": ["Everyone", "sales"],
        "contact": {"email_verified": True},
    },
    {
        "username": "carol",
        "password": "carol-demo-password",
        "email": "carol@example.com",
        "first_name": "Carol",
        "last_name": "Castro",
        "groups": ["Everyone", "engineering"],
        "contact": {"email_verified": False},
    },
]


# Claims that show the product: one groups definition serving both tokens and userinfo,
# expressions in the style of Okta's, an app-profile value, a scope-conditioned claim.
DEMO_CLAIMS = [
    {
        "name": "groups",
        "description": "The user's groups, in the ID token, the access token and userinfo.",
        "value_type": "groups",
        "group_filter": "regex",
        "value": ".+",
        "include_in_id_token": True,
        "include_in_access_token": True,
        "include_in_userinfo": True,
        "scopes": ["groups"],
    },
    {
        "name": "team",
        "description": "A role derived from group membership.",
        "value_type": "expression",
        # Reads the user: left out of client-credentials tokens (trace reason no_user).
        "value": 'user.isMemberOfGroupName("engineering") ? "engineering" : "business"',
        "include_in_id_token": True,
        "include_in_access_token": True,
        "include_in_userinfo": True,
        "scopes": [],
    },
    {
        "name": "login_name",
        "description": "The local part of the email address (profile scope).",
        "value_type": "expression",
        "value": 'String.substringBefore(user.email, "@")',
        "include_in_id_token": True,
        "include_in_access_token": False,
        "include_in_userinfo": True,
        "scopes": ["profile"],
    },
    {
        "name": "app_label",
        "description": "A per-application value from the app profile.",
        "value_type": "expression",
        "value": "app.profile.label",
        "include_in_id_token": False,
        "include_in_access_token": True,
        "include_in_userinfo": False,
        "scopes": [],
    },
]


# The standard claims the demo has data for beyond Django's user: read from ContactDetails
# through OIDC_CLAIMS["USER_ATTRIBUTES"] (settings.py).
STANDARD_CLAIM_VALUES = {
    "email_verified": "user.emailVerified",
    "phone_number": "user.phoneNumber",
    "phone_number_verified": "user.phoneNumberVerified",
    "address": "user.address",
}


def demo_applications(base_url: str) -> list[dict]:
    Application = get_application_model()
    callback = f"{base_url}/demo/callback"
    return [
        {
            "client_id": "demo-web",
            "client_secret": DEMO_WEB_SECRET,
            "name": "Demo web application",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": callback,
            "allowed_origins": "",
        },
        {
            "client_id": "demo-spa",
            "client_secret": "",
            "name": "Demo single-page application",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": f"{callback} http://localhost:5173/callback",
            "allowed_origins": "http://localhost:5173",
        },
        {
            "client_id": "demo-service",
            "client_secret": DEMO_SERVICE_SECRET,
            "name": "Demo service (client credentials)",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
            "redirect_uris": "",
            "allowed_origins": "",
        },
    ]


class Command(BaseCommand):
    help = "Create the demo admin, users, groups and OAuth clients (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the IdP is served; used for redirect URIs and the printed URLs.",
        )
        parser.add_argument(
            "--no-claims",
            action="store_true",
            help="Create users and clients only; leave the claim configuration (claim "
            "definitions, app profiles) as it is.",
        )

    @transaction.atomic
    def handle(self, *args, base_url: str, no_claims: bool = False, **options):
        # The claim configuration it writes is one revision, by this command.
        with change_context(Channel.COMMAND, author="seed_demo", comment="Demo data"):
            self._seed(base_url, no_claims)

    def _seed(self, base_url: str, no_claims: bool) -> None:
        base_url = base_url.rstrip("/")
        User = get_user_model()
        Application = get_application_model()

        admin, _ = User.objects.get_or_create(username=ADMIN["username"])
        admin.email = ADMIN["email"]
        admin.is_staff = admin.is_superuser = admin.is_active = True
        admin.set_password(ADMIN["password"])
        admin.save()

        for spec in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=spec["username"])
            for field in ("email", "first_name", "last_name"):
                setattr(user, field, spec[field])
            user.is_active = True
            user.set_password(spec["password"])
            user.save()
            user.groups.set(Group.objects.get_or_create(name=name)[0] for name in spec["groups"])
            contact = {"phone_number": "", "phone_number_verified": None, "address": None}
            ContactDetails.objects.update_or_create(
                user=user, defaults={**contact, **spec["contact"]}
            )

        for spec in demo_applications(base_url):
            app = Application.objects.filter(client_id=spec["client_id"]).first() or Application(
                client_id=spec["client_id"]
            )
            for field, value in spec.items():
                setattr(app, field, value)
            app.algorithm = Application.RS256_ALGORITHM
            app.skip_authorization = False
            app.user = admin
            # save() hashes the plain secret we just set, so the printed secret keeps working.
            app.save()

        if not no_claims:
            self._seed_claims(base_url)
        self._print_summary(base_url, with_claims=not no_claims)

    def _seed_claims(self, base_url: str) -> None:
        seed_standard_claims()
        for name, value in STANDARD_CLAIM_VALUES.items():
            ClaimDefinition.objects.filter(name=name, standard=True).update(value=value)
        Application = get_application_model()
        for spec in demo_applications(base_url):
            AppProfile.objects.update_or_create(
                application=Application.objects.get(client_id=spec["client_id"]),
                defaults={
                    "data": {"label": spec["name"]},
                    # RFC 8707: each demo client may ask for tokens for the demo API.
                    "allowed_resources": f"{base_url}/api/hello",
                },
            )
        for spec in DEMO_CLAIMS:
            fields = {key: value for key, value in spec.items() if key != "name"}
            claim = ClaimDefinition.objects.filter(name=spec["name"]).first() or ClaimDefinition(
                name=spec["name"]
            )
            for field, value in fields.items():
                setattr(claim, field, value)
            claim.enabled = True
            claim.full_clean()
            claim.save()

    def _print_summary(self, base_url: str, *, with_claims: bool) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        out.write(f"\nIdP:       {base_url}/")
        out.write(f"Discovery: {base_url}/o/.well-known/openid-configuration")
        out.write(
            f"Admin:     {base_url}/admin/  "
            f"user {ADMIN['username']!r} password {ADMIN['password']!r}"
        )
        out.write("\nUsers (password, groups):")
        for spec in DEMO_USERS:
            out.write(f"  {spec['username']:<6} {spec['password']:<22} {', '.join(spec['groups'])}")
        if with_claims:
            self._print_claims()
        out.write("\nClients:")
        for spec in demo_applications(base_url):
            secret = spec["client_secret"] or "(public client: PKCE, no secret)"
            out.write(
                f"  {spec['client_id']:<13} secret {secret:<34} {spec['authorization_grant_type']}"
            )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": "demo-web",
                "redirect_uri": f"{base_url}/demo/callback",
                "scope": "openid profile email groups",
                "state": "demo-state",
                "nonce": "demo-nonce",
            }
        )
        out.write(f"\nSign in with the demo web client:\n  {base_url}/o/authorize/?{query}")
        out.write(
            "\nClient-credentials token:\n"
            f"  curl -s -u demo-service:{DEMO_SERVICE_SECRET} -d grant_type=client_credentials "
            f"{base_url}/o/token/"
        )

    def _print_claims(self) -> None:
        self.stdout.write("\nClaims (name: destinations; scopes):")
        for spec in DEMO_CLAIMS:
            where = [
                label
                for field, label in (
                    ("include_in_id_token", "ID token"),
                    ("include_in_access_token", "access token"),
                    ("include_in_userinfo", "userinfo"),
                )
                if spec[field]
            ]
            scopes = " ".join(spec["scopes"]) or "any"
            self.stdout.write(f"  {spec['name']}: {', '.join(where)}; scopes {scopes}")
        self.stdout.write(
            "  and the standard claims (name, email, email_verified, phone_number, address...): "
            "userinfo; scopes profile, email, phone, address"
        )
