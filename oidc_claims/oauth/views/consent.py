"""The consent page lists the claims the application will receive, as the engine computes them."""

from __future__ import annotations

from typing import Any

from oidc_claims.oauth.consent import released_claims


class ReleasedClaimsMixin:
    """For DOT's AuthorizationView: adds ``released_claims`` to the consent page's context."""

    template_name = "oidc_claims/authorize.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        if application is not None and not context.get("error"):
            context["released_claims"] = released_claims(
                self.request.user,
                application,
                list(context.get("scopes") or []),
                context.get("response_type"),
                context.get("claims"),
            )
        return context
