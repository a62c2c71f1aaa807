"""Commissioning plans through the API, scoped as their pages are: the public reads published
plans; a draft is read by the people of its bodies and not found by anyone else."""

import pytest

from tests.authz.world import DRAFT_PLAN_TITLE, DRAFT_RISK

pytestmark = pytest.mark.django_db


def titles(response):
    return {plan["title"] for plan in response.json()["items"]}


def test_the_public_lists_published_plans_only(as_actor, world):
    listed = as_actor("anonymous", "/api/v1/plans")
    assert listed.status_code == 200
    assert titles(listed) == {"Riverside older people plan"}
    assert {plan["status"] for plan in listed.json()["items"]} == {"published"}
    assert listed.json()["count"] == 2  # both published versions
    assert DRAFT_PLAN_TITLE not in listed.content.decode()


@pytest.mark.parametrize(
    ("actor", "sees_drafts"),
    [
        ("commissioner", True),
        ("scrutiny", True),
        ("evaluator", True),
        ("outsider", False),
        ("provider_user", False),
        ("anonymous", False),
    ],
)
def test_a_draft_is_seen_by_its_bodies_people_and_not_found_by_anyone_else(
    as_actor, world, actor, sees_drafts
):
    draft = world.objects["draft_plan"]
    listed = as_actor(actor, "/api/v1/plans")
    assert (DRAFT_PLAN_TITLE in titles(listed)) is sees_drafts
    assert listed.json()["count"] == len(listed.json()["items"])
    detail = as_actor(actor, f"/api/v1/plans/{draft.pk}")
    assert detail.status_code == (200 if sees_drafts else 404)
    assert (DRAFT_RISK in detail.content.decode()) is sees_drafts


def test_a_plan_comes_with_outcomes_indicators_intentions_risks_and_resources(as_actor, world):
    draft = world.objects["draft_plan"]
    parts = world.objects["plan_parts"][draft.pk]
    plan = as_actor("commissioner", f"/api/v1/plans/{draft.pk}").json()
    assert (plan["title"], plan["status"], plan["first_year"], plan["last_year"]) == (
        DRAFT_PLAN_TITLE,
        "scoping",
        2026,
        2028,
    )
    assert plan["area_codes"] == ["E06000005"]
    [outcome] = plan["outcomes"]
    assert outcome["title"] == "Carers get a break"
    [indicator] = outcome["indicators"]
    assert (indicator["baseline"], indicator["target"], indicator["unit"]) == (40.0, 60.0, "%")
    [intention] = plan["intentions"]
    assert intention["title"] == "Short breaks"
    assert intention["planned_budget"] == {"2026": 50000.0}
    assert intention["outcome_ids"] == [parts["outcome"].pk]
    [risk] = plan["risks"]
    assert (risk["description"], risk["score"]) == (DRAFT_RISK, 6)
    [resource] = plan["resources"]
    assert (resource["funding_stream"], resource["year"], resource["amount"]) == (
        "Carers grant",
        2026,
        60000.0,
    )
    assert resource["partner"] == world.organisations["council"].name
    [appraisal] = plan["appraisals"]
    assert appraisal["title"] == "Who runs short breaks"
    assert {o["name"] for o in appraisal["options"]} == {"In-house", "Grant"}
    assert [o["rank"] for o in appraisal["options"]] == [1, 2]
    assert appraisal["preferred"] == [appraisal["options"][0]["name"]]
    assert [s["kind"] for s in plan["sections"]][:1] == ["introduction"]
    assert plan["sign_offs"] == []


def test_the_sign_off_of_a_published_plan_is_public_its_record_is_for_governance(as_actor, world):
    published = world.objects["published_plan"]
    public = as_actor("anonymous", f"/api/v1/plans/{published.pk}").json()
    [sign_off] = public["sign_offs"]
    assert (sign_off["kind"], sign_off["decided_on"]) == ("scrutiny", "2026-10-01")
    assert sign_off["recorded_by"] is None and sign_off["recorded_at"] is None
    councillor = as_actor("scrutiny", f"/api/v1/plans/{published.pk}").json()
    assert councillor["sign_offs"][-1]["recorded_by"] == world.people["scrutiny"].full_name
    assert councillor["previous_version_id"] == world.objects["first_published_plan"].pk


def test_plans_can_be_listed_by_stage(as_actor, world):
    listed = as_actor("commissioner", "/api/v1/plans", status="approval").json()
    assert [plan["title"] for plan in listed["items"]] == ["Riverside plan awaiting approval"]
    assert listed["count"] == 1
