"""Standard claims: the `standard` mark and the ID-token rule for responses without an access token."""

from django.db import migrations, models

from oidc_claims.engine import version_triggers

TABLE = "oidc_claims_claimdefinition"


def reinstall_triggers(apps, schema_editor):
    # SQLite adds these columns by rebuilding the table, which drops its triggers.
    version_triggers.install(schema_editor, (TABLE,))


class Migration(migrations.Migration):
    dependencies = [
        ("oidc_claims", "0007_authenticationtime"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimdefinition",
            name="id_token_without_access_token",
            field=models.BooleanField(
                default=False,
                help_text="Also put the claim into the ID token when the response carries no access token to call userinfo with (response_type=id_token), as OpenID Connect Core 5.4 asks for the standard claims.",
                verbose_name="in the ID token when no access token is issued",
            ),
        ),
        migrations.AddField(
            model_name="claimdefinition",
            name="standard",
            field=models.BooleanField(
                default=False,
                help_text="One of OpenID Connect's standard claims (Core 5.1), created out of the box; edit its value to read your site's data. An empty text value is left out.",
                verbose_name="standard claim",
            ),
        ),
        migrations.RunPython(reinstall_triggers, reinstall_triggers),
    ]
