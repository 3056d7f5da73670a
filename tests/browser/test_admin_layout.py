"""In a real browser at 1400 px: the claim list fits, the expression reference shows literals
of the language, the claim form shows only the fields of its value type, and the app-profile
form keeps its help text. Each page is captured as a screenshot in test-artifacts/."""

from __future__ import annotations

import pytest
from oauth2_provider.models import get_application_model

from oidc_claims.models import ClaimDefinition
from tests.browser.test_admin_browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 1400
CLAIM_LIST = "/admin/oidc_claims/claimdefinition/"
ADD_CLAIM = "/admin/oidc_claims/claimdefinition/add/"


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    return page


def test_the_claim_list_fits_1400_pixels(narrow_page, demo_site, artifacts):
    application = get_application_model().objects.get(client_id="demo-web")
    long_value = 'String.join(" ", user.firstName, user.lastName, user.email, app.name, app.id)'
    claim = ClaimDefinition.objects.create(
        name="display_everything",
        value=long_value,
        scopes=["profile", "email", "offline_access", "groups"],
    )
    claim.applications.set([application])
    log_in(narrow_page, demo_site, CLAIM_LIST)

    assert narrow_page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    # The admin scrolls a wide result table inside its own box: nothing may overflow it.
    results = narrow_page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    right_edge = results.bounding_box()["x"] + results.bounding_box()["width"]
    for column in ("scopes_summary", "applications_summary", "enabled"):
        box = narrow_page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= right_edge, column
    narrow_page.screenshot(path=str(artifacts / "claim-list-1400.png"), full_page=True)


def test_the_expression_reference_shows_expression_literals(narrow_page, demo_site, artifacts):
    log_in(narrow_page, demo_site, ADD_CLAIM)
    narrow_page.click("#expression-reference summary")
    results = narrow_page.locator(
        "#expression-reference tbody tr td:nth-child(4)"
    ).all_inner_texts()
    assert '{"a", "b"}' in results
    assert "true" in results and "null" in results
    assert not {"True", "False", "None", "['a', 'b']"} & set(results)
    narrow_page.locator("#expression-reference").screenshot(
        path=str(artifacts / "expression-reference.png")
    )


def test_the_claim_form_shows_the_fields_of_its_value_type(narrow_page, demo_site, artifacts):
    log_in(narrow_page, demo_site, ADD_CLAIM)
    group_fields = narrow_page.locator(".form-row.field-group_filter")
    assert group_fields.is_hidden()
    # Nothing to show in "History" before the claim exists.
    assert narrow_page.locator("fieldset h2", has_text="History").count() == 0
    narrow_page.select_option("#id_value_type", "groups")
    assert group_fields.is_visible()
    narrow_page.select_option("#id_value_type", "expression")
    assert group_fields.is_hidden()

    # A required field left empty says so once.
    narrow_page.click("input[name=_save]")
    narrow_page.wait_for_selector(".errornote")
    assert narrow_page.locator(".field-name .errorlist li").all_inner_texts() == [
        "This field is required."
    ]
    narrow_page.screenshot(path=str(artifacts / "claim-form-expression.png"), full_page=True)


def test_the_app_profile_help_text_keeps_its_placeholder(narrow_page, demo_site, artifacts):
    application = get_application_model().objects.get(client_id="demo-web")
    url = f"/admin/oauth2_provider/application/{application.pk}/change/"
    log_in(narrow_page, demo_site, url)
    help_text = narrow_page.locator(".field-data .help").first.inner_text()
    assert "app.profile.<key>" in help_text
    # A new profile starts as an empty object, not JSON null.
    assert narrow_page.locator(".field-data textarea").first.input_value() == "{}"
    narrow_page.locator(".inline-group").first.screenshot(
        path=str(artifacts / "app-profile-form.png")
    )
