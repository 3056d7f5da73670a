"""Calls the stand-alone resource server's views with the tokens given as arguments, in a
process where django-oauth-toolkit, oauthlib and lark cannot be imported, as in a service
that installs only Django REST framework and jwcrypto. Prints one JSON line per call, then
the oidc_claims modules that were imported."""

import importlib.abc
import json
import os
import sys

NOT_INSTALLED = {"oauth2_provider", "oauthlib", "lark", "re2"}


class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in NOT_INSTALLED:
            raise ModuleNotFoundError(f"No module named {name!r} (not installed here)")
        return None


sys.meta_path.insert(0, NotInstalled())
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.drf_standalone.settings"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

client = Client()
for line in sys.stdin.read().split():
    path, _, token = line.partition("=")
    response = client.get(f"/{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
    print(json.dumps({"path": path, "status": response.status_code, "body": response.json()}))
print(json.dumps({"modules": sorted(m for m in sys.modules if m.startswith("oidc_claims"))}))
