import django.db.models.deletion
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings


class Migration(migrations.Migration):

    dependencies = [
        ("oidc_claims", "0001_initial"),
        migrations.swappable_dependency(oauth2_settings.ACCESS_TOKEN_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RequestedUserinfoClaims",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("claim_names", models.JSONField(default=list, verbose_name="requested claim names")),
                (
                    "access_token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="oidc_claims_userinfo_request",
                        to=oauth2_settings.ACCESS_TOKEN_MODEL,
                        verbose_name="access token",
                    ),
                ),
            ],
            options={
                "verbose_name": "requested userinfo claims",
                "verbose_name_plural": "requested userinfo claims",
            },
        ),
    ]
