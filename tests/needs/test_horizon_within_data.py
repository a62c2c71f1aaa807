"""A needs assessment's horizon lies within its population data: one that runs past the data's
last year is refused, by the form and by the service, naming the years the data covers (its
tables and charts would otherwise stop there while it claims the later year)."""

import pytest
from django.core.exceptions import ValidationError

from commissioning.needs import services
from commissioning.needs.models import NeedsAssessment

REFUSAL = "The population data covers 2014 to 2027: choose a horizon year no later than 2027"


def _form(demo, horizon):
    return {
        "title": "Older people 2024 to 2030",
        "organisation": demo.organisation_id,
        "partnership": demo.partnership_id,
        "client_group": demo.client_group_id,
        "population_dataset": demo.population_dataset_id,
        "areas": [area.pk for area in demo.areas.all()],
        "base_year": 2024,
        "horizon_year": horizon,
        "findings": "",
    }


def test_the_form_refuses_a_horizon_past_the_data_and_says_which_years_it_covers(
    client, older_people
):
    demo = older_people
    client.force_login(demo.created_by)
    count = NeedsAssessment.objects.count()
    response = client.post("/needs-assessments/new/", _form(demo, 2030))
    body = response.content.decode()
    assert response.status_code == 400
    assert REFUSAL in body and "population data that reaches 2030" in body
    assert NeedsAssessment.objects.count() == count
    # The choices say which years each dataset holds before anyone has to guess.
    assert "(2014 to 2027)" in client.get("/needs-assessments/new/").content.decode()
    assert client.post("/needs-assessments/new/", _form(demo, 2027)).status_code == 302


def test_changing_a_draft_to_a_horizon_past_the_data_is_refused(client, older_people):
    demo = older_people
    client.force_login(demo.created_by)
    response = client.post(f"/needs-assessments/{demo.pk}/edit/", _form(demo, 2031))
    assert response.status_code == 400 and REFUSAL in response.content.decode()
    demo.refresh_from_db()
    assert demo.horizon_year == 2027


def test_the_service_refuses_a_horizon_past_the_data(older_people):
    demo = older_people
    commissioner = demo.created_by
    with pytest.raises(ValidationError) as refused:
        services.create_assessment(
            actor=commissioner,
            organisation=demo.organisation,
            partnership=demo.partnership,
            areas=list(demo.areas.all()),
            prevalence_sets=list(demo.prevalence_sets.all()),
            title="Older people 2024 to 2030",
            client_group=demo.client_group,
            population_dataset=demo.population_dataset,
            base_year=2024,
            horizon_year=2030,
        )
    assert REFUSAL in refused.value.message_dict["horizon_year"][0]
    with pytest.raises(ValidationError) as refused:
        services.update_assessment(
            actor=commissioner,
            assessment=demo,
            areas=list(demo.areas.all()),
            prevalence_sets=[],
            horizon_year=2030,
        )
    assert REFUSAL in refused.value.message_dict["horizon_year"][0]


def test_a_draft_saved_past_its_data_is_not_published_as_if_it_reached_that_year(
    client, older_people
):
    demo = older_people
    # One saved before horizons were checked.
    NeedsAssessment.objects.filter(pk=demo.pk).update(horizon_year=2030)
    client.force_login(demo.created_by)
    response = client.post(f"/needs-assessments/{demo.pk}/publish/", follow=True)
    assert REFUSAL in response.content.decode()
    demo.refresh_from_db()
    assert demo.status == "draft"
