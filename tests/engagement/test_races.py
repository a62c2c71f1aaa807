"""One signed-in person's answers sent twice at once: one response is kept, the other is told
it is already done; never a server error."""

import pytest
from django.test import Client

from commissioning.engagement.models import Response
from tests.engagement.test_pages import answers, respond_url
from tests.factories import PersonFactory
from tests.races import at_once, racing_database  # noqa: F401 (the fixture)


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_by_one_person_keep_one_and_say_already_answered(
    racing_database,  # noqa: F811 (the imported fixture)
    make_consultation,
):
    consultation = make_consultation()
    resident = PersonFactory(full_name="Rhian Resident")
    signed_in = Client()
    signed_in.force_login(resident)
    form, url = answers(consultation), respond_url(consultation)

    def answer(_n):
        client = Client()
        client.cookies = signed_in.cookies
        client.raise_request_exception = False
        response = client.post(url, form)
        return response.status_code, response.content.decode()

    for expected in ([302, 403], [403, 403]):  # the race, then the same answers sent again
        results = at_once(2, answer)
        assert sorted(status for status, _ in results) == expected
        assert Response.objects.filter(consultation=consultation, person=resident).count() == 1
        refused = [page for status, page in results if status == 403]
        assert all("You have already answered this consultation" in page for page in refused)
