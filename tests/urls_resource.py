"""The demo IdP's urls plus DRF resource views for token tests."""

from django.urls import path
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework.response import Response
from rest_framework.views import APIView

from example_project.urls import urlpatterns as idp_urlpatterns
from oidc_claims.contrib.rest_framework.authentication import JWTAccessTokenAuthentication
from oidc_claims.contrib.rest_framework.permissions import HasClaim


class DotAuthView(APIView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["api.read"]

    def get(self, request):
        return Response({"user": request.user.pk})


class LocalAuthView(APIView):
    authentication_classes = [JWTAccessTokenAuthentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["api.read"]

    def get(self, request):
        return Response({"sub": request.user.pk, "groups": request.auth.claims.get("groups")})


class EngineeringOnlyView(LocalAuthView):
    permission_classes = [HasClaim("groups", "engineering") & TokenHasScope]


class DotEngineeringOnlyView(DotAuthView):
    permission_classes = [HasClaim("groups", "engineering")]


urlpatterns = [
    *idp_urlpatterns,
    path("drf/dot", DotAuthView.as_view()),
    path("drf/local", LocalAuthView.as_view()),
    path("drf/engineering", EngineeringOnlyView.as_view()),
    path("drf/dot-engineering", DotEngineeringOnlyView.as_view()),
]
