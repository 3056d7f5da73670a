"""Public subject identifiers: the UserSubject table, filled for every existing user."""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings

import oidc_claims.models.subjects

BATCH_SIZE = 1000


def give_existing_users_subjects(apps, schema_editor):
    # Self-contained (historical models, no app code): 128 random bits per user, never the
    # client id of an existing application (a client-credentials token's sub).
    alias = schema_editor.connection.alias
    User = apps.get_model(settings.AUTH_USER_MODEL)
    UserSubject = apps.get_model("oidc_claims", "UserSubject")
    Application = apps.get_model(oauth2_settings.APPLICATION_MODEL)
    taken = set(Application.objects.using(alias).values_list("client_id", flat=True))
    with_subject = UserSubject.objects.using(alias).values("user_id")
    pks = User.objects.using(alias).exclude(pk__in=with_subject).values_list("pk", flat=True)
    batch = []
    for pk in pks.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        subject = secrets.token_hex(16)
        while subject in taken:
            subject = secrets.token_hex(16)
        taken.add(subject)
        batch.append(UserSubject(user_id=pk, subject=subject))
        if len(batch) >= BATCH_SIZE:
            UserSubject.objects.using(alias).bulk_create(batch)
            batch = []
    UserSubject.objects.using(alias).bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(oauth2_settings.APPLICATION_MODEL),
        ("oidc_claims", "0003_configurationversion"),
    ]

    operations = [
        migrations.CreateModel(
            name="UserSubject",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="oidc_claims_subject",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        default=oidc_claims.models.subjects.new_subject,
                        editable=False,
                        max_length=64,
                        unique=True,
                        verbose_name="subject",
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "user subject identifier",
                "verbose_name_plural": "user subject identifiers",
            },
        ),
        migrations.RunPython(give_existing_users_subjects, migrations.RunPython.noop),
    ]
