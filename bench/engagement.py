"""E1: a consultation with 50,000 responses: its results, charts, page and exports.

For each database (SQLite always; PostgreSQL when 127.0.0.1:5432 answers) a worker process loads
the demo, then, as its commissioner, builds a consultation on the older people's plan through the
product's services (save_consultation, save_question, publish_consultation) with a realistic
questionnaire: a single-choice question (4 options, required), a multiple-choice question
(6 options, about 2.4 chosen by those who answer), two rating questions and two free-text
questions (about a third answer each, with sentences of the kind people write). Respondents are
spread over the six stakeholder groups. The first few responses go through submit_response and
their answer rows are checked against the generator's; the other 50,000 or so are written with
bulk_create (about 270,000 answer rows). It times, in process:
- the summary: selectors.consultation_results (counts for every question), first and median;
- every question's chart (engagement_tags.question_chart_context: Vega-Lite to SVG): the first
  (which starts vl-convert's JavaScript runtime), the median redrawn (the SVG cache emptied
  before each: the page while answers keep arriving) and the median from the SVG cache;
- GET of the results page as the commissioner: first, median redrawn, median cached;
- the CSV (streamed) and XLSX exports of every response, with their sizes;
and reports the worker's peak memory overall and in each stage (its high-water mark is reset
between stages through /proc/self/clear_refs where Linux allows it).
"""

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/engagement.py`, like the other benchmarks
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    database,
    database_kinds,
    environment,
    peak_mib,
    report,
    reset_peak,
    run_worker,
    setup_django,
    timed,
)

RESPONSES = 50_000
THROUGH_SERVICE = 8  # responses sent through services.submit_response, to check the data's shape
CHUNK = 5_000
PG_DATABASE = "oc_bench_engagement"

# Who answers: (stakeholder group, weight), over all six groups.
GROUPS = [
    ("citizen", 34),
    ("service_user", 22),
    ("carer", 20),
    ("provider_third", 11),
    ("provider_private", 8),
    ("provider_public", 5),
]
QUESTIONS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "single_choice",
        "Do you agree that community groups should be grant-funded to run day opportunities?",
        {
            "choices": "Agree\nNeither agree nor disagree\nDisagree\nDon't know",
            "required": True,
        },
    ),
    (
        "multiple_choice",
        "Which of these would help you or the person you care for most?",
        {
            "choices": "Lunch clubs\nExercise and falls prevention\nArts and music\n"
            "Trips out\nTransport to activities\nBreaks for carers",
            "help_text": "Choose all that apply.",
        },
    ),
    (
        "rating",
        "How good are day opportunities where you live now?",
        {"lowest_label": "Very poor", "highest_label": "Very good"},
    ),
    (
        "rating",
        "How easy is it to find out what is available?",
        {"lowest_label": "Very hard", "highest_label": "Very easy"},
    ),
    (
        "free_text",
        "What should we keep, or change, about day opportunities?",
        {"help_text": "Please do not include anyone's name or personal details."},
    ),
    (
        "free_text",
        "Is there anything else we should know?",
        {"help_text": "Please do not include anyone's name or personal details."},
    ),
]
SINGLE_WEIGHTS = (46, 17, 24, 13)
MULTIPLE_CHANCES = (0.58, 0.42, 0.26, 0.30, 0.44, 0.35)  # each option's chance: about 2.4
MULTIPLE_ANSWERED = 0.9
RATING_WEIGHTS = ((9, 18, 31, 28, 14), (16, 27, 29, 19, 9))
RATING_ANSWERED = (0.84, 0.78)
TEXT_ANSWERED = (0.36, 0.29)

SUBJECTS = [
    "The lunch club at the community centre",
    "The day centre on Station Road",
    "Community transport",
    "The memory café",
    "The falls prevention class",
    "Respite for carers",
    "The befriending service",
    "My mother's day care",
    "The Tuesday walking group",
    "The carers' support group",
    "Information about what is on",
    "The minibus to the leisure centre",
]
PREDICATES = [
    "is the only time my mother sees anyone all week",
    "stopped running when the funding ended last year",
    "needs to open at weekends as well as weekdays",
    "has had a waiting list of more than three months",
    "made a real difference to both of us",
    "is too far away for anyone without a car",
    "is run by volunteers who are wonderful but stretched",
    "should be kept exactly as it is",
    "costs £12 a day, which many people here cannot afford",
    "does not cater for people living with dementia",
    "closes at 3pm, before I finish work",
    "is hard to find out about unless you already know someone there",
]
EXTRAS = [
    "Please fund small groups for longer than a year at a time.",
    "Nobody told us about the changes until they had happened.",
    "Staff are kind, but there are not enough of them.",
    "Transport is the problem: the 14 bus no longer stops near the centre.",
    "Carers need a break too, not just a phone number to ring.",
    "Ask the people who use the services before you decide, not after.",
    'We were told it would "reopen soon" in 2023.',
    "Grants for small groups would mean more going on in the villages.",
    "Thank you for asking.",
    "Some of us do not use the internet, so put leaflets in the library and GP surgery.",
]


def _answers(rng: random.Random, questions: list[Any]) -> dict[int, list[str]]:
    """One respondent's answers in submit_response's form: question pk to a list of values."""
    single, multiple, rating_1, rating_2, text_1, text_2 = questions
    answers: dict[int, list[str]] = {
        single.pk: [str(rng.choices(range(4), weights=SINGLE_WEIGHTS)[0])]
    }
    if rng.random() < MULTIPLE_ANSWERED:
        chosen = [str(i) for i, p in enumerate(MULTIPLE_CHANCES) if rng.random() < p]
        answers[multiple.pk] = chosen or [str(rng.randrange(6))]
    for question, weights, chance in zip(
        (rating_1, rating_2), RATING_WEIGHTS, RATING_ANSWERED, strict=True
    ):
        if rng.random() < chance:
            answers[question.pk] = [str(rng.choices(range(1, 6), weights=weights)[0])]
    for question, chance in zip((text_1, text_2), TEXT_ANSWERED, strict=True):
        if rng.random() < chance:
            sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}."]
            sentences += rng.sample(EXTRAS, rng.choice((0, 1, 1, 2, 3)))
            if len(sentences) > 2 and rng.random() < 0.3:  # a second paragraph
                answers[question.pk] = [" ".join(sentences[:2]) + "\n" + " ".join(sentences[2:])]
            else:
                answers[question.pk] = [" ".join(sentences)]
    return answers


def _rows(answers: dict[int, list[str]], questions: list[Any]) -> list[tuple[Any, ...]]:
    """The answer rows submit_response writes for those answers: (question, choice, rating,
    text), a row a chosen option."""
    rows: list[tuple[Any, ...]] = []
    for question in questions:
        values = answers.get(question.pk)
        if not values:
            continue
        if question.kind == "free_text":
            rows.append((question.pk, None, None, "\n".join(values)))
        elif question.kind == "rating":
            rows.append((question.pk, None, int(values[0]), ""))
        else:
            rows.extend((question.pk, n, None, "") for n in sorted({int(v) for v in values}))
    return rows


def build_consultation(plan: Any, commissioner: Any) -> tuple[Any, dict[str, Any]]:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from commissioning.demo import builders
    from commissioning.engagement import selectors, services
    from commissioning.engagement.models import Answer, Response

    opens = timezone.now() - timedelta(days=30)
    consultation = builders.consultation(
        actor=commissioner,
        plan=plan,
        title="Day opportunities for older people: the benchmark's consultation",
        summary="What people think of day opportunities and carers' breaks, and what to change.",
        opens_at=opens,
        questions=QUESTIONS,
    )
    questions = selectors.questions_of(consultation)
    rng = random.Random(2026)
    groups, weights = zip(*GROUPS, strict=True)

    # A few through the product's service: the rows bulk_create writes must be the same shape.
    for number in range(THROUGH_SERVICE):
        answers = _answers(rng, questions)
        response = services.submit_response(
            consultation=consultation,
            person=None,
            client=f"bench-{number}",
            stakeholder_group=rng.choices(groups, weights=weights)[0],
            answers=answers,
        )
        stored = list(
            Answer.objects.filter(response=response)
            .order_by("pk")
            .values_list("question_id", "choice", "rating", "text")
        )
        assert stored == _rows(answers, questions), (stored, _rows(answers, questions))

    started = time.perf_counter()
    seconds = int((timezone.now() - opens).total_seconds())
    remaining = RESPONSES - THROUGH_SERVICE
    with transaction.atomic():
        while remaining > 0:
            size = min(CHUNK, remaining)
            remaining -= size
            batch = []
            for _ in range(size):
                answers = _answers(rng, questions)
                batch.append(
                    (
                        Response(
                            consultation=consultation,
                            stakeholder_group=rng.choices(groups, weights=weights)[0],
                            submitted_at=opens + timedelta(seconds=rng.randrange(seconds)),
                        ),
                        _rows(answers, questions),
                    )
                )
            Response.objects.bulk_create([response for response, _rows_ in batch])
            Answer.objects.bulk_create(
                [
                    Answer(
                        response=response,
                        question_id=question,
                        choice=choice,
                        rating=rating,
                        text=text,
                    )
                    for response, rows in batch
                    for question, choice, rating, text in rows
                ],
                batch_size=CHUNK,
            )
    generated = time.perf_counter() - started
    answers_total = Answer.objects.filter(question__consultation=consultation).count()
    multiple = Answer.objects.filter(question=questions[1])
    return consultation, {
        "generate_s": generated,
        "responses": selectors.response_count(consultation),
        "answers": answers_total,
        "multiple_mean": multiple.count() / multiple.values("response").distinct().count(),
    }


def worker(folder: str) -> None:
    setup_django(demo=True)
    from django.test import Client

    from commissioning.core import selectors as core_selectors
    from commissioning.demo.loader import PLAN_TITLE
    from commissioning.engagement import exports, selectors
    from commissioning.engagement.templatetags.engagement_tags import question_chart_context
    from commissioning.kit import charts as needs_charts
    from commissioning.plans import selectors as plan_selectors

    peaks = {"demo": peak_mib()}
    reset = reset_peak()
    plan = plan_selectors.plan_titled(PLAN_TITLE)
    assert plan is not None
    commissioner = core_selectors.person_by_email("commissioner@northvale.example")
    assert commissioner is not None
    consultation, result = build_consultation(plan, commissioner)
    peaks["data"] = peak_mib()
    reset_peak()
    print(f"data: {result}", file=sys.stderr, flush=True)

    result["summary_first_s"], result["summary_s"], results = timed(
        lambda: selectors.consultation_results(consultation), 5
    )
    assert results.responses == RESPONSES, results.responses
    assert results.questions[0].answered == RESPONSES, results.questions[0].answered
    result["answered"] = [r.answered for r in results.questions]

    def draw() -> list[dict[str, Any]]:
        return [question_chart_context(r) for r in results.questions]

    def redraw() -> list[dict[str, Any]]:
        needs_charts._render.cache_clear()
        return draw()

    result["charts_first_s"], result["charts_s"], drawn = timed(redraw, 3)
    _first, result["charts_cached_s"], _drawn = timed(draw, 3)
    charted = [c["chart"] for c in drawn if c["chart"]]
    assert len(charted) == 4 and all(c["svg"] for c in charted), "a chart was not drawn"
    result["charts"] = len(charted)
    result["svg_kib"] = sum(len(c["svg"]) for c in charted) / 1024

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(commissioner)
    url = f"/consultations/{consultation.pk}/results/"

    def page() -> Any:
        needs_charts._render.cache_clear()
        return client.get(url)

    result["page_first_s"], result["page_s"], response = timed(page, 3)
    assert response.status_code == 200, response.status_code
    assert response.content.count(b"<svg") >= 4, "the page has no charts"
    _first, result["page_cached_s"], response = timed(lambda: client.get(url), 3)
    assert response.status_code == 200, response.status_code
    result["page_kib"] = len(response.content) / 1024
    peaks["results"] = peak_mib()
    reset_peak()

    started = time.perf_counter()
    size = lines = 0
    for chunk in exports.responses_csv(consultation):
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    result["csv_s"] = time.perf_counter() - started
    result["csv_mib"] = size / 1024**2
    assert lines == RESPONSES + 1, lines  # the heading and a record a response
    peaks["csv"] = peak_mib()
    reset_peak()

    started = time.perf_counter()
    workbook = exports.responses_xlsx(consultation)
    result["xlsx_s"] = time.perf_counter() - started
    result["xlsx_mib"] = len(workbook) / 1024**2
    peaks["xlsx"] = peak_mib()
    result.update(peaks=peaks, peak_mib=max(peaks.values()), peaks_reset=reset)
    report(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--worker")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    print(f"\nE1 engagement: a consultation of 6 questions with {RESPONSES:,} responses")
    print(
        f"{'database':<11} {'summary':>8} {'charts 1st':>10} {'redrawn':>8} {'cached':>7} "
        f"{'page 1st':>8} {'redrawn':>8} {'cached':>7} {'CSV':>6} {'XLSX':>6} {'peak MiB':>8}"
    )
    for kind in database_kinds():
        with database(kind, PG_DATABASE) as (env, folder):
            r = run_worker(__file__, str(folder), env=environment(**env), timeout=1800)
        print(
            f"{kind:<11} {r['summary_s'] * 1000:>6.0f}ms {r['charts_first_s']:>9.2f}s "
            f"{r['charts_s']:>7.2f}s {r['charts_cached_s'] * 1000:>5.0f}ms "
            f"{r['page_first_s']:>7.2f}s {r['page_s']:>7.2f}s {r['page_cached_s'] * 1000:>5.0f}ms "
            f"{r['csv_s']:>5.1f}s {r['xlsx_s']:>5.1f}s {r['peak_mib']:>8.0f}"
        )
        print(
            f"{'':<11} {r['responses']:,} responses, {r['answers']:,} answers "
            f"({r['multiple_mean']:.2f} options a multiple-choice answer; answered "
            f"{', '.join(f'{n:,}' for n in r['answered'])}), written in {r['generate_s']:.0f}s; "
            f"summary 1st {r['summary_first_s'] * 1000:.0f}ms"
        )
        print(
            f"{'':<11} {r['charts']} charts, {r['svg_kib']:.0f} KiB of SVG; page "
            f"{r['page_kib']:.0f} KiB; CSV {r['csv_mib']:.1f} MiB, XLSX {r['xlsx_mib']:.1f} MiB; "
            f"peak MiB {'of each stage' if r['peaks_reset'] else 'so far, after each stage'}: "
            + ", ".join(f"{stage} {mib:.0f}" for stage, mib in r["peaks"].items())
        )
    print(
        "summary = selectors.consultation_results, counts for every question (median of 5).\n"
        "charts = question_chart_context for every question, Vega-Lite to SVG: the first starts "
        "vl-convert; redrawn = median of 3 with the SVG cache emptied first; cached = median of "
        "3 from it.\npage = GET /consultations/<pk>/results/ as the commissioner in process, "
        "charts redrawn (first, median of 3) and cached (median of 3).\nCSV (streamed) and XLSX "
        "= every response, one run each.\npeak = the worker's maximum resident memory, overall "
        "and in each stage: loading the demo, writing the responses, the results (summary, "
        "charts, page), the CSV, the XLSX."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
