"""One protected API view: who the token is for, and a view that needs a claim value."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from oidc_claims.contrib.rest_framework.permissions import HasClaim


class Hello(APIView):
    def get(self, request):
        return Response({"sub": request.user.pk, "tier": request.auth.claims.get("tier")})


class GoldOnly(APIView):
    permission_classes = [HasClaim("tier", "gold")]

    def get(self, request):
        return Response({"gold": True})


urlpatterns = [path("hello", Hello.as_view()), path("gold", GoldOnly.as_view())]
