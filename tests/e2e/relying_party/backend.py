"""mozilla-django-oidc's backend, keeping what userinfo answered so the site can show it."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class UserinfoBackend(OIDCAuthenticationBackend):
    """Users are matched by email (the library's default), named from userinfo's claims."""

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        self.request.session["userinfo"] = claims
        self.request.session["userinfo_calls"] = self.request.session.get("userinfo_calls", 0) + 1
        return claims

    def create_user(self, claims):
        user = super().create_user(claims)
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.first_name = claims.get("given_name", "")
        user.last_name = claims.get("family_name", "")
        user.save()
        return user
