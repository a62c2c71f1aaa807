"""Grow the benchmark database beyond the demo: `python -m bench.seed --providers 5000`.

Run by bench/run.py after `migrate` and `load_demo`, with DJANGO_SETTINGS_MODULE=bench.settings
and the benchmark database in the environment. Adds registered charities (providers in the
third sector, identifiers GB-CHC-3000000 upwards, marked as demonstration data) with
bulk_create, makes an API token for the signed-in person the benchmark uses, and prints one
JSON line: the dataset's size and the token.
"""

import argparse
import json
import os
import random

import django

FIRST_NUMBER = 3_000_000
BATCH = 1_000
TOKEN_OWNER = "commissioner@northvale.example"

PLACES = (
    "Northvale", "Darlington", "Hartlepool", "Durham", "Tees", "Wear", "Consett", "Stanley",
    "Seaham", "Bishop Auckland", "Newton Aycliffe", "Chester-le-Street", "Spennymoor", "Barnard",
    "Crook", "Peterlee", "Sedgefield", "Ferryhill", "Shildon", "Teesdale",
)  # fmt: skip
PURPOSES = (
    "Carers' Support", "Community Care", "Home Support", "Befriending", "Mental Health Trust",
    "Advocacy", "Day Services", "Dementia Friends", "Young Carers", "Recovery Network",
    "Disability Forum", "Meals on Wheels", "Housing Support", "Hospice at Home", "Wellbeing Hub",
)  # fmt: skip
SUFFIXES = ("", " Trust", " Association", " Network", " Project", " Group")


def seed(providers: int) -> dict[str, object]:
    from commissioning.core import orgid, services
    from commissioning.core.models import Area, Organisation, Partnership, Person

    rng = random.Random(2026)
    bands = [band for band, _label in Organisation.IncomeBand.choices]
    existing = set(Organisation.objects.values_list("identifier", flat=True))
    new: list[Organisation] = []
    number = FIRST_NUMBER
    while len(new) < providers:
        identifier = str(orgid.parse(f"GB-CHC-{number}"))
        number += 1
        if identifier in existing:
            continue
        name = f"{rng.choice(PLACES)} {rng.choice(PURPOSES)}{rng.choice(SUFFIXES)}"
        new.append(
            Organisation(
                name=f"{name} ({identifier})",
                identifier=identifier,
                kind=Organisation.Kind.PROVIDER,
                sector=Organisation.Sector.THIRD,
                legal_form=Organisation.LegalForm.CHARITY,
                income_band=rng.choice(bands),
                is_demonstration=True,
            )
        )
    Organisation.objects.bulk_create(new, batch_size=BATCH)

    person = Person.objects.get(email=TOKEN_OWNER)
    _token, plaintext = services.create_api_token(actor=person, name="bench")
    return {
        "added_providers": len(new),
        "organisations": Organisation.objects.count(),
        "areas": Area.objects.count(),
        "partnerships": Partnership.objects.count(),
        "people": Person.objects.count(),
        "token": plaintext,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--providers", type=int, default=5_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    print(json.dumps(seed(args.providers)))


if __name__ == "__main__":
    main()
