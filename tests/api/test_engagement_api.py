"""Engagement through the API, scoped as its pages are: consultations and their questions, their
counted results once public, a plan's engagement record, its planning groups and the register
of interests."""

import pytest

from tests.authz.world import (
    DRAFT_CONSULTATION_TITLE,
    GROUP_MINUTES,
    RESPONSE_TEXT,
)

pytestmark = pytest.mark.django_db


def titles(response):
    return {item["title"] for item in response.json()["items"]}


def test_the_public_lists_published_consultations_and_the_plans_bodies_their_drafts_too(
    as_actor, world
):
    public = as_actor("anonymous", "/api/v1/consultations")
    assert titles(public) == {
        "Riverside day services consultation",
        "Riverside transport consultation",
    }
    assert public.json()["count"] == 2
    assert DRAFT_CONSULTATION_TITLE in titles(as_actor("scrutiny", "/api/v1/consultations"))
    assert DRAFT_CONSULTATION_TITLE not in titles(as_actor("outsider", "/api/v1/consultations"))


def test_a_consultation_gives_its_questions_and_a_draft_is_not_found_outside(as_actor, world):
    open_one = world.objects["open_consultation"]
    body = as_actor("anonymous", f"/api/v1/consultations/{open_one.pk}").json()
    assert body["is_open"] is True and body["status"] == "published"
    assert [q["text"] for q in body["questions"]] == ["What would help you most?"]
    assert body["you_said_we_did"] == ""
    draft = world.objects["draft_consultation"]
    assert as_actor("anonymous", f"/api/v1/consultations/{draft.pk}").status_code == 404
    assert as_actor("outsider", f"/api/v1/consultations/{draft.pk}").status_code == 404
    assert as_actor("evaluator", f"/api/v1/consultations/{draft.pk}").status_code == 200


def test_results_are_public_with_you_said_we_did_and_never_give_anyones_words(as_actor, world):
    closed = world.objects["closed_consultation"]
    detail = as_actor("anonymous", f"/api/v1/consultations/{closed.pk}").json()
    assert detail["you_said_we_did"].startswith("You said transport was hard to book")
    results = as_actor("anonymous", f"/api/v1/consultations/{closed.pk}/results")
    assert results.status_code == 200
    body = results.json()
    assert body["responses"] == 1
    citizens = next(g for g in body["by_stakeholder_group"] if g["stakeholder_group"] == "citizen")
    assert (citizens["responses"], citizens["percent"]) == (1, 100.0)
    [question] = body["questions"]
    assert (question["answered"], question["written_answers"]) == (1, 1)
    for actor in ("anonymous", "commissioner"):
        text = as_actor(actor, f"/api/v1/consultations/{closed.pk}/results").content.decode()
        assert RESPONSE_TEXT not in text


def test_results_before_you_said_we_did_are_the_commissioners(as_actor, world):
    open_one = world.objects["open_consultation"]
    path = f"/api/v1/consultations/{open_one.pk}/results"
    assert as_actor("anonymous", path).status_code == 403
    assert as_actor("outsider", path).status_code == 403
    assert as_actor("commissioner", path).status_code == 200


def test_the_engagement_record_is_read_with_its_plan(as_actor, world):
    draft = world.objects["draft_plan"]
    path = f"/api/v1/plans/{draft.pk}/engagement-record"
    assert as_actor("anonymous", path).status_code == 404
    assert as_actor("outsider", path).status_code == 404
    record = as_actor("scrutiny", path).json()
    [activity] = record["activities"]
    assert activity["title"] == "Carers' drop-in"
    assert (activity["participants"]["carer"], activity["total_participants"]) == (12, 15)
    assert record["participants"]["citizen"] == 3
    published = world.objects["published_plan"]
    public = as_actor("anonymous", f"/api/v1/plans/{published.pk}/engagement-record").json()
    assert set(public["consultation_ids"]) == {
        world.objects["open_consultation"].pk,
        world.objects["closed_consultation"].pk,
    }


def test_planning_groups_are_for_the_plans_bodies_and_the_groups_members(as_actor, world):
    group = world.objects["group"]
    listed = as_actor("commissioner", f"/api/v1/plans/{group.plan_id}/groups").json()
    assert [g["name"] for g in listed["items"]] == ["Carers programme board"]
    assert listed["count"] == 1
    for actor, status in [
        ("commissioner", 200),
        ("provider_user", 200),  # sits on the group
        ("provider_admin", 404),
        ("outsider", 404),
        ("anonymous", 404),
    ]:
        response = as_actor(actor, f"/api/v1/groups/{group.pk}")
        assert response.status_code == status, actor
        assert (GROUP_MINUTES in response.content.decode()) is (status == 200)
    body = as_actor("provider_user", f"/api/v1/groups/{group.pk}").json()
    member = next(
        m for m in body["members"] if m["name"] == world.people["provider_user"].full_name
    )
    assert member["interests"][0]["kind"] == "financial"
    assert body["meetings"][0]["decisions"] == ["Ask carers what breaks they want"]
    assert (
        world.people["provider_user"].email
        not in as_actor("commissioner", f"/api/v1/groups/{group.pk}").content.decode()
    )


def test_the_register_of_interests_is_public(as_actor, world):
    register = as_actor("anonymous", "/api/v1/interests").json()
    assert register["count"] == 1
    [declaration] = register["items"]
    assert declaration["person"] == world.people["provider_user"].full_name
    assert declaration["provider"] == world.organisations["provider"].name
