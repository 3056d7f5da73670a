"""A site's validator subclass adding DOT standard claims, as DOT's docs describe."""

from oidc_claims.oauth.validator import ClaimsOAuth2Validator


class StandardClaimsValidator(ClaimsOAuth2Validator):
    def get_additional_claims(self, request):
        return {"email": request.user.email, "name": request.user.get_full_name()}
