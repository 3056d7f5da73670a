"""URLs of the claims API; include them under a versioned prefix, e.g. ``api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from oidc_claims.api.views.claim_tests import ClaimTestViewSet
from oidc_claims.api.views.claims import ClaimDefinitionViewSet
from oidc_claims.api.views.preview import PreviewView
from oidc_claims.api.views.profiles import AppProfileViewSet
from oidc_claims.api.views.revisions import RevisionViewSet
from oidc_claims.api.views.transfer import ExportView, ImportView, OktaImportView
from oidc_claims.oauth.views.server_errors import with_json_server_errors

app_name = "oidc_claims_api"

router = SimpleRouter()
router.register("claims", ClaimDefinitionViewSet, basename="claim")
router.register("app-profiles", AppProfileViewSet, basename="app-profile")
router.register("claim-tests", ClaimTestViewSet, basename="claim-test")
router.register("revisions", RevisionViewSet, basename="revision")

urlpatterns = [
    *router.urls,
    path("preview/", PreviewView.as_view(), name="preview"),
    path("export/", ExportView.as_view(), name="export"),
    path("import/", ImportView.as_view(), name="import"),
    path("import/okta/", OktaImportView.as_view(), name="import-okta"),
]

# An unexpected error is a JSON server_error for the API client, never an HTML page.
urlpatterns = with_json_server_errors(urlpatterns)
