"""The configuration-version row, and the triggers that replace its token on every claim write."""

import secrets

from django.db import migrations, models

from oidc_claims.engine import version_triggers

# The claim tables as of this migration; a later table gets its triggers in its own migration.
TABLES = (
    "oidc_claims_claimdefinition",
    "oidc_claims_claimdefinition_applications",
    "oidc_claims_appprofile",
)


def create_row(apps, schema_editor):
    ConfigurationVersion = apps.get_model("oidc_claims", "ConfigurationVersion")
    ConfigurationVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"token": secrets.token_hex(16)}
    )


def install_triggers(apps, schema_editor):
    version_triggers.install(schema_editor, TABLES)


def uninstall_triggers(apps, schema_editor):
    version_triggers.uninstall(schema_editor, TABLES)
    version_triggers.drop_function(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("oidc_claims", "0002_requesteduserinfoclaims"),
    ]

    operations = [
        migrations.CreateModel(
            name="ConfigurationVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=64, verbose_name="token")),
            ],
            options={
                "verbose_name": "claim configuration version",
                "verbose_name_plural": "claim configuration versions",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, uninstall_triggers),
    ]
