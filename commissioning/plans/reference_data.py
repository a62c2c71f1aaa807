"""Outcome frameworks that plans choose their strategic outcomes from, loaded by a data
migration and re-applied by `load_demo`; platform administrators may add others afterwards.
Each carries its source and the years it was in force, so a plan can say where an outcome
comes from. Pure: no Django."""

from datetime import date
from typing import Any

from commissioning.kit.phrases import gettext_noop

OUTCOME_FRAMEWORKS: list[dict[str, Any]] = [
    {
        "slug": "ascof-2014",
        "name": "Adult Social Care Outcomes Framework: outcome domains",
        "name_cy": "Fframwaith Canlyniadau Gofal Cymdeithasol i Oedolion: parthau canlyniadau",
        "source": "Department of Health and Social Care, The Adult Social Care Outcomes "
        "Framework 2014/15 to 2022/23: handbook of definitions",
        "source_url": "https://www.gov.uk/government/collections/adult-social-care-outcomes-framework-ascof",
        "valid_from": date(2014, 4, 1),
        "valid_to": date(2023, 3, 31),
        "outcomes": [
            (
                "1",
                "Enhancing quality of life for people with care and support needs",
                "Gwella ansawdd bywyd pobl ag anghenion gofal a chymorth",
            ),
            (
                "2",
                "Delaying and reducing the need for care and support",
                "Oedi a lleihau'r angen am ofal a chymorth",
            ),
            (
                "3",
                "Ensuring that people have a positive experience of care and support",
                "Sicrhau bod pobl yn cael profiad cadarnhaol o ofal a chymorth",
            ),
            (
                "4",
                "Safeguarding adults whose circumstances make them vulnerable and protecting "
                "from avoidable harm",
                "Diogelu oedolion y mae eu hamgylchiadau'n eu gwneud yn agored i niwed, a'u "
                "hamddiffyn rhag niwed y gellir ei osgoi",
            ),
        ],
    },
    {
        "slug": "every-child-matters",
        "name": "Every Child Matters: the five outcomes",
        "name_cy": "Mae Pob Plentyn yn Bwysig: y pum canlyniad",
        "source": "HM Government, Every Child Matters: Change for Children (2004), under the "
        "Children Act 2004 s.10",
        "source_url": "",
        "valid_from": date(2004, 12, 1),
        "valid_to": None,
        "outcomes": [
            ("BH", "Be healthy", "Bod yn iach"),
            ("SS", "Stay safe", "Aros yn ddiogel"),
            ("EA", "Enjoy and achieve", "Mwynhau a chyflawni"),
            ("PC", "Make a positive contribution", "Gwneud cyfraniad cadarnhaol"),
            ("EW", "Achieve economic well-being", "Sicrhau lles economaidd"),
        ],
    },
    {
        "slug": "wales-well-being",
        "name": "Wales: well-being outcomes for people who need care and support, and carers",
        "name_cy": "Cymru: canlyniadau llesiant i bobl sydd angen gofal a chymorth, a gofalwyr",
        "source": "Social Services and Well-being (Wales) Act 2014, s.2(2), and the Welsh "
        "Government's national outcomes framework (2016)",
        "source_url": "https://www.legislation.gov.uk/anaw/2014/4/section/2",
        "valid_from": date(2016, 4, 6),
        "valid_to": None,
        "outcomes": [
            ("a", "Securing rights and entitlements", "Sicrhau hawliau a hawlogaethau"),
            (
                "b",
                "Physical and mental health and emotional well-being",
                "Iechyd corfforol a meddyliol a lles emosiynol",
            ),
            (
                "c",
                "Protection from abuse and neglect",
                "Amddiffyn rhag camdriniaeth ac esgeulustod",
            ),
            ("d", "Education, training and recreation", "Addysg, hyfforddiant a hamdden"),
            (
                "e",
                "Domestic, family and personal relationships",
                "Perthnasoedd domestig, teuluol a phersonol",
            ),
            ("f", "Contribution made to society", "Cyfraniad at y gymdeithas"),
            ("g", "Social and economic well-being", "Lles cymdeithasol ac economaidd"),
            ("h", "Suitability of living accommodation", "Addasrwydd llety byw"),
        ],
    },
]


def load(framework_model: Any, outcome_model: Any) -> None:
    """Create the frameworks and their outcomes if missing (idempotent; an administrator's
    edits are kept)."""
    for values in OUTCOME_FRAMEWORKS:
        fields = {key: value for key, value in values.items() if key != "outcomes"}
        framework, _created = framework_model.objects.get_or_create(
            slug=values["slug"], defaults=fields
        )
        for position, (code, name, name_cy) in enumerate(values["outcomes"]):
            outcome_model.objects.get_or_create(
                framework=framework,
                code=code,
                defaults={"name": name, "name_cy": name_cy, "position": position},
            )


# The criteria an options appraisal starts with, from the guidance (004, "make or buy"), with
# weights to start the discussion; they are changed and agreed before any option is scored.
DEFAULT_APPRAISAL_CRITERIA: list[tuple[str, str, int]] = [
    ("unit_cost", gettext_noop("Unit costs"), 25),
    ("outcome_performance", gettext_noop("Performance on outcome and output measures"), 25),
    ("social_and_community", gettext_noop("Social and community factors"), 15),
    ("system_coherence", gettext_noop("System coherence"), 15),
    ("political", gettext_noop("Political considerations"), 10),
    ("environmental", gettext_noop("Environmental factors"), 10),
]
