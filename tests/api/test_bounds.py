"""Numbers too big for the database are refused with a 422 and a message, never a server
error; page views given any ?page= still answer."""

import pytest

from commissioning.core import services

HUGE = "99999999999999999999"


@pytest.fixture
def token(commissioning_body, person_with_role):
    commissioner = person_with_role(commissioning_body, "commissioner")
    return services.create_api_token(actor=commissioner, name="report")[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"/api/v1/organisations?page={HUGE}", "page"),
        ("/api/v1/organisations?page=9223372036854775807", "page"),
        (f"/api/v1/organisations?page_size={HUGE}", "page_size"),
        (f"/api/v1/areas?page={HUGE}", "page"),
        (f"/api/v1/audit-events?page={HUGE}", "page"),
        (f"/api/v1/providers?page={HUGE}", "page"),
        ("/api/v1/providers?page=9223372036854775807", "page"),
        (f"/api/v1/providers?page_size={HUGE}", "page_size"),
        (f"/api/v1/plans?page={HUGE}", "page"),
        (f"/api/v1/consultations?page_size={HUGE}", "page_size"),
        (f"/api/v1/interests?page={HUGE}", "page"),
        (f"/api/v1/plans/{HUGE}", "plan_id"),
        (f"/api/v1/consultations/{HUGE}/results", "consultation_id"),
        (f"/api/v1/groups/{HUGE}", "group_id"),
        (f"/api/v1/organisations/{HUGE}", "organisation_id"),
        ("/api/v1/organisations/0/members", "organisation_id"),
        (f"/api/v1/partnerships/{HUGE}", "partnership_id"),
        (f"/api/v1/providers/-{HUGE}", "provider_id"),
        (f"/api/v1/projections?dataset={HUGE}&areas=E06000005&conditions=x", "dataset"),
    ],
)
def test_huge_numbers_are_refused_with_the_parameter_named(client, token, url, parameter):
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == parameter
    assert error["msg"].startswith(("Input should be less", "Input should be greater"))


@pytest.mark.django_db
@pytest.mark.parametrize("years", [HUGE, "2014,9223372036854775808", "-5"])
def test_a_projection_for_an_impossible_year_is_refused(client, projection_data, years):
    query = {"dataset": projection_data.pk, "areas": "E06000005", "conditions": "dementia-cfas-ii"}
    response = client.get("/api/v1/projections", {**query, "years": years})
    assert response.status_code == 422
    assert response.json()["detail"] == "Years must be from 1800 to 2300."
    assert client.get("/api/v1/projections", {**query, "years": "2014"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", [HUGE, "-1", "0", "x", "9223372036854775808"])
@pytest.mark.parametrize("path", ["/organisations/", "/market/providers/"])
def test_page_views_answer_any_page_number(client, commissioning_body, path, page):
    assert client.get(path, {"page": page}).status_code == 200
