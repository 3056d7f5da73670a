"""URLs of the claims API; include them under a versioned prefix, e.g. ``api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from ..views.server_errors import with_json_server_errors
from .views.claim_tests import ClaimTestViewSet
from .views.claims import ClaimDefinitionViewSet
from .views.preview import PreviewView
from .views.profiles import AppProfileViewSet
from .views.revisions import RevisionViewSet
from .views.transfer import ExportView, ImportView, OktaImportView

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
