"""Claim tests: assertions about the tokens of a user, an application and a grant."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings

import oidc_claims.models.claim_tests


class Migration(migrations.Migration):
    dependencies = [
        ("oidc_claims", "0008_standard_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(oauth2_settings.APPLICATION_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimTest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("enabled", models.BooleanField(default=True, help_text="Disabled tests are not run, neither on demand nor before a change.", verbose_name="enabled")),
                ("grant_type", models.CharField(choices=oidc_claims.models.claim_tests.grant_type_choices, default="authorization_code", max_length=32, verbose_name="grant type")),
                ("scopes", models.JSONField(blank=True, default=list, help_text='e.g. ["openid", "email"]', verbose_name="scopes")),
                ("claims_parameter", models.JSONField(blank=True, help_text='The OIDC claims parameter, e.g. {"id_token": {"email": null}}.', null=True, verbose_name="claims request parameter")),
                ("expectations", models.JSONField(default=list, help_text="A list of {destination, claim, operator, value}: destination is id_token, access_token, userinfo or introspection; operator is equals, absent, contains (an item of a list, or text within text) or matches (a regular expression found in the text value).", verbose_name="expectations")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("application", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=oauth2_settings.APPLICATION_MODEL, verbose_name="application")),
                ("user", models.ForeignKey(blank=True, help_text="Required for every grant except client credentials.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
            ],
            options={
                "verbose_name": "claim test",
                "verbose_name_plural": "claim tests",
                "ordering": ["name"],
            },
        ),
    ]
