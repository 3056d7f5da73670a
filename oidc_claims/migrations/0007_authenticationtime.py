import django.db.models.deletion
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings

from oidc_claims.models.compat import check_constraint


class Migration(migrations.Migration):

    dependencies = [
        ("oidc_claims", "0006_appprofile_allowed_resources"),
        migrations.swappable_dependency(oauth2_settings.ACCESS_TOKEN_MODEL),
        migrations.swappable_dependency(oauth2_settings.GRANT_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthenticationTime",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("auth_time", models.DateTimeField(verbose_name="signed in at")),
                (
                    "access_token",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oidc_claims_authentication",
                        to=oauth2_settings.ACCESS_TOKEN_MODEL,
                        verbose_name="access token",
                    ),
                ),
                (
                    "grant",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oidc_claims_authentication",
                        to=oauth2_settings.GRANT_MODEL,
                        verbose_name="authorization code",
                    ),
                ),
            ],
            options={
                "verbose_name": "authentication time",
                "verbose_name_plural": "authentication times",
                "constraints": [
                    check_constraint(
                        condition=models.Q(("grant__isnull", False), ("access_token__isnull", True))
                        | models.Q(("grant__isnull", True), ("access_token__isnull", False)),
                        name="oidc_claims_authentication_one_owner",
                    )
                ],
            },
        ),
    ]
