"""What the demo site keeps about its users beyond Django's user: verified flags, phone, address.

The standard claims read it through ``OIDC_CLAIMS["USER_ATTRIBUTES"]`` (see settings.py), as
any site maps its own related model.
"""

from django.conf import settings
from django.db import models


class ContactDetails(models.Model):
    """A user's contact details; each user has at most one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact"
    )
    # None: not known (the claim is then left out).
    email_verified = models.BooleanField(null=True, blank=True)
    phone_number = models.CharField(max_length=32, blank=True)
    phone_number_verified = models.BooleanField(null=True, blank=True)
    # An OpenID Connect address object (Core 5.1.1): formatted, street_address, locality, ...
    address = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "contact details"

    def __str__(self) -> str:
        return f"Contact details of {self.user}"
