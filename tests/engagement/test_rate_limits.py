"""The limit on anonymous answers to a consultation holds under concurrency and behind proxies."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client, override_settings

from commissioning.engagement.models import Response
from tests.engagement.test_pages import answers, respond_url

PROXY = "10.0.0.2"
HOME = "203.0.113.7"
DAY_CENTRE = "198.51.100.20"


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database, shared between threads, refuses a second writer "
    "rather than waiting for it; a real SQLite file takes one writer at a time by design",
)
@pytest.mark.django_db(transaction=True)
@override_settings(CONSULTATION_RESPONSES_PER_HOUR=10)
def test_thirty_answers_at_once_from_one_address_accept_exactly_ten(
    transactional_db, make_consultation
):
    consultation = make_consultation()
    form = answers(consultation)
    url = respond_url(consultation)

    def answer(_n):
        try:
            return Client().post(url, form, REMOTE_ADDR=HOME).status_code
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = list(pool.map(answer, range(30)))
    assert sorted(statuses) == [302] * 10 + [429] * 20
    assert Response.objects.filter(consultation=consultation).count() == 10


@pytest.mark.django_db
@override_settings(CONSULTATION_RESPONSES_PER_HOUR=3, TRUSTED_PROXY_COUNT=1)
def test_two_people_behind_a_trusted_proxy_have_separate_limits(client, make_consultation):
    consultation = make_consultation()

    def post(forwarded_for):
        return client.post(
            respond_url(consultation),
            answers(consultation),
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).status_code

    assert [post(HOME) for _ in range(4)] == [302, 302, 302, 429]
    # Someone else reaching the service through the same proxy is not held up.
    assert [post(DAY_CENTRE) for _ in range(3)] == [302, 302, 302]
    # What the client writes to the left of the proxy's own entry is not believed.
    assert post(f"{DAY_CENTRE}, 192.0.2.1, {HOME}") == 429
    assert Response.objects.count() == 6


@pytest.mark.django_db
@override_settings(CONSULTATION_RESPONSES_PER_HOUR=3)
def test_a_forged_forwarding_header_without_a_trusted_proxy_is_ignored(client, make_consultation):
    consultation = make_consultation()
    statuses = [
        client.post(
            respond_url(consultation),
            answers(consultation),
            REMOTE_ADDR=HOME,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
