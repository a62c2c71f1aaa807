"""The limit on anonymous answers to a consultation holds under concurrency and behind proxies."""

import pytest
from django.test import Client, override_settings

from commissioning.engagement.models import Response
from tests.engagement.test_pages import answers, respond_url
from tests.races import at_once, racing_database  # noqa: F401 (the fixture)

PROXY = "10.0.0.2"
HOME = "203.0.113.7"
DAY_CENTRE = "198.51.100.20"


@pytest.mark.django_db(transaction=True)
@override_settings(CONSULTATION_RESPONSES_PER_HOUR=10)
def test_thirty_answers_at_once_from_one_address_accept_exactly_ten(
    racing_database,  # noqa: F811 (the imported fixture)
    make_consultation,
):
    consultation = make_consultation()
    form = answers(consultation)
    url = respond_url(consultation)

    def answer(_n):
        return Client().post(url, form, REMOTE_ADDR=HOME).status_code

    statuses = at_once(30, answer)
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
