"""The demo's contact details in the admin."""

from django.contrib import admin

from .models import ContactDetails


@admin.register(ContactDetails)
class ContactDetailsAdmin(admin.ModelAdmin):
    list_display = ["user", "email_verified", "phone_number", "phone_number_verified"]
    search_fields = ["user__username", "phone_number"]
    autocomplete_fields = ["user"]
