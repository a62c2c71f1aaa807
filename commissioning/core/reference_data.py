"""Reference data every installation starts with. Loaded by a data migration and re-applied
idempotently by `load_demo`; platform administrators may edit it afterwards.

Area codes and names: ONS geography codes of the mid-year estimates (Nomis NM_2002_1), under
the Open Government Licence v3, with each English authority's region and Welsh names for Welsh
areas.
"""

import csv
from pathlib import Path
from typing import Any

AREAS_CSV = Path(__file__).parent / "data" / "areas.csv"

CLIENT_GROUPS = [
    ("older-people", "Older people", "Pobl hŷn"),
    ("learning-disabilities", "Learning disabilities", "Anableddau dysgu"),
    ("mental-health", "Mental health", "Iechyd meddwl"),
    (
        "physical-disability-long-term-conditions",
        "Physical disability and long-term conditions",
        "Anabledd corfforol a chyflyrau hirdymor",
    ),
    ("children-young-people", "Children and young people", "Plant a phobl ifanc"),
    ("carers", "Carers", "Gofalwyr"),
    ("substance-misuse", "Substance misuse", "Camddefnyddio sylweddau"),
]

CYCLE_MODELS: list[dict[str, Any]] = [
    {
        "slug": "welsh-framework-2010",
        "name": "the Welsh commissioning framework",
        "name_cy": "fframwaith comisiynu Cymru",
        "source": "Welsh Assembly Government, Fulfilled Lives, Supportive Communities: "
        "Commissioning Framework Guidance and Good Practice (2010)",
        "is_default": True,
        "stages": [
            (
                "analyse",
                "Analyse",
                "Dadansoddi",
                "Population needs, the provider market and the resources available.",
                "Anghenion y boblogaeth, y farchnad darparwyr a'r adnoddau sydd ar gael.",
            ),
            (
                "plan",
                "Plan",
                "Cynllunio",
                "Gaps, outcomes and commissioning intentions, consulted on and signed off.",
                "Bylchau, canlyniadau a bwriadau comisiynu, wedi ymgynghori arnynt a'u cymeradwyo.",
            ),
            (
                "secure-services",
                "Secure services",
                "Sicrhau gwasanaethau",
                "Procurement, grants and in-house agreements that put the plan into effect.",
                "Caffael, grantiau a chytundebau mewnol sy'n rhoi'r cynllun ar waith.",
            ),
            (
                "review",
                "Review",
                "Adolygu",
                "Monitoring outputs, outcomes and people's feedback, and learning for next time.",
                "Monitro allbynnau, canlyniadau ac adborth pobl, a dysgu ar gyfer y tro nesaf.",
            ),
        ],
    },
    {
        "slug": "analyse-plan-do-review",
        "name": "the analyse, plan, do, review cycle",
        "name_cy": "y cylch dadansoddi, cynllunio, gwneud, adolygu",
        "source": "Herefordshire, Strategic planning and joint commissioning: report and "
        "action plan (2005)",
        "is_default": False,
        "stages": [
            ("analyse", "Analyse", "Dadansoddi", "", ""),
            ("plan", "Plan", "Cynllunio", "", ""),
            ("do", "Do", "Gwneud", "", ""),
            ("review", "Review", "Adolygu", "", ""),
        ],
    },
]


def read_areas() -> list[dict[str, str]]:
    with AREAS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(area_model: Any, client_group_model: Any, cycle_model: Any, stage_model: Any) -> None:
    """Create what is missing; never overwrite what administrators have changed."""
    rows = read_areas()
    existing = set(area_model.objects.values_list("code", flat=True))
    # Parents come before children in the file (countries, regions, authorities).
    by_code = {a.code: a for a in area_model.objects.all()}
    for row in rows:
        if row["code"] in existing:
            continue
        area = area_model.objects.create(
            code=row["code"],
            name=row["name"],
            name_cy=row["name_cy"],
            level=row["level"],
            parent=by_code.get(row["parent_code"]) if row["parent_code"] else None,
        )
        by_code[area.code] = area
    for position, (slug, name, name_cy) in enumerate(CLIENT_GROUPS):
        client_group_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_cy": name_cy, "position": position}
        )
    for spec in CYCLE_MODELS:
        model, created = cycle_model.objects.get_or_create(
            slug=spec["slug"],
            defaults={k: spec[k] for k in ("name", "name_cy", "source", "is_default")},
        )
        if created:
            for position, (slug, name, name_cy, description, description_cy) in enumerate(
                spec["stages"], start=1
            ):
                stage_model.objects.create(
                    model=model,
                    position=position,
                    slug=slug,
                    name=name,
                    name_cy=name_cy,
                    description=description,
                    description_cy=description_cy,
                )
