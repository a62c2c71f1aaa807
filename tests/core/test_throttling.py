"""Sign-in lockouts, and the client address every limit is keyed by."""

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings

from commissioning.core.throttle import client_address
from tests.factories import PASSWORD, PersonFactory

PROXY = "10.0.0.2"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def officer(commissioning_body, person_with_role):
    return person_with_role(
        commissioning_body, "procurement_officer", email="procurement@northvale.example"
    )


def sign_in(client, username, password, **extra):
    return client.post("/sign-in/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written",
    [
        "Procurement@Northvale.example",
        "PROCUREMENT@NORTHVALE.EXAMPLE",
        " procurement@northvale.example ",
    ],
)
def test_a_locked_account_stays_locked_however_its_address_is_written(client, officer, written):
    for _ in range(5):
        sign_in(client, officer.email, "wrong-password-1")
    assert sign_in(client, officer.email, PASSWORD).status_code == 429
    response = sign_in(client, written, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_passwords_spread_over_ways_of_writing_the_address_share_one_budget(client, officer):
    variants = [
        "Procurement@Northvale.example",
        "PROCUREMENT@northvale.example",
        " procurement@NORTHVALE.example",
        "procurement@northvale.EXAMPLE ",
        "pRoCuReMeNt@NoRtHvAlE.eXaMpLe",
    ]
    for written in variants:
        sign_in(client, written, "wrong-password-1")
    assert sign_in(client, officer.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_with_capitals_signs_in(client, officer):
    response = sign_in(client, "  Procurement@Northvale.EXAMPLE ", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_an_attacker_locks_out_only_themselves(client, officer):
    for n in range(5):
        # The attacker writes a header of their own; the proxy appends the address it saw.
        sign_in(
            client,
            officer.email,
            "wrong-password-1",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}",
        )
    locked = sign_in(
        client, officer.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert locked.status_code == 429
    # The account's owner, behind the same proxy, signs in.
    response = sign_in(
        client, officer.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_a_lockout(client, officer):
    for n in range(5):
        sign_in(
            client,
            officer.email,
            "wrong-password-1",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = sign_in(
        client, officer.email, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_wrong_passwords_from_many_addresses_lock_out_nobody_else(client, officer):
    for n in range(60):  # four tries from each of 15 addresses: none reaches its own lockout
        sign_in(client, officer.email.upper(), "wrong-password-1", REMOTE_ADDR=f"192.0.2.{n // 4}")
    response = sign_in(client, officer.email, PASSWORD, REMOTE_ADDR=OWNER)
    assert response.status_code == 302


@pytest.mark.django_db
def test_wrong_passwords_from_many_addresses_of_one_ipv6_network_share_one_budget(client, officer):
    for n in range(5):
        sign_in(client, officer.email, "wrong-password-1", REMOTE_ADDR=f"2001:db8:0:7::{n + 1:x}")
    locked = sign_in(client, officer.email, PASSWORD, REMOTE_ADDR="2001:db8:0:7:ffff::1")
    assert locked.status_code == 429
    elsewhere = sign_in(client, officer.email, PASSWORD, REMOTE_ADDR="2001:db8:0:8::1")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_the_administration_site_signs_in_through_the_throttled_page(client):
    superuser = PersonFactory(platform_admin=True)
    attempt = {"username": superuser.email.upper(), "password": PASSWORD}
    response = client.post("/admin/login/?next=/admin/", attempt)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert "_auth_user_id" not in client.session  # the admin's own login authenticates nobody
    for _ in range(5):
        client.post(response["Location"], {**attempt, "password": "wrong-password-1"})
    locked = client.post(response["Location"], attempt)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "", ATTACKER),
        (0, OWNER, ATTACKER),  # no trusted proxy: the header is the client's own writing
        (1, OWNER, OWNER),
        (1, f"192.0.2.1, {OWNER}", OWNER),  # the proxy's entry is the last
        (2, f"192.0.2.1, {OWNER}, 10.0.0.9", OWNER),
        (2, OWNER, ATTACKER),  # fewer entries than proxies: not through every proxy
        (1, "not-an-address", ATTACKER),
        (1, "2001:db8::1", "2001:db8::"),
        # One client's IPv6 /64 is one client, however many of its addresses it uses.
        (1, "2001:db8:0:7:a:b:c:d", "2001:db8:0:7::"),
        (1, "::ffff:198.51.100.7", OWNER),
    ],
)
def test_the_client_address_is_the_nth_from_the_right(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == expected


# --- emails anyone can ask for -----------------------------------------------------------------


@pytest.mark.django_db
@override_settings(EMAILS_PER_ADDRESS_PER_HOUR=3, EMAILS_PER_CLIENT_PER_HOUR=100)
def test_fifteen_password_resets_to_one_address_send_three(client, officer):
    pages = [
        client.post("/password-reset/", {"email": written}, REMOTE_ADDR=f"192.0.2.{n}")
        for n, written in enumerate([officer.email, officer.email.upper()] * 7 + [officer.email])
    ]
    # Every request is answered alike, whether it was sent or not.
    assert {(page.status_code, page["Location"]) for page in pages} == {
        (302, "/password-reset/sent/")
    }
    assert len(mail.outbox) == 3
    assert all(message.to == [officer.email] for message in mail.outbox)


@pytest.mark.django_db
@override_settings(EMAILS_PER_ADDRESS_PER_HOUR=3, EMAILS_PER_CLIENT_PER_HOUR=10)
def test_one_client_asking_for_resets_to_many_addresses_is_limited(
    client, commissioning_body, person_with_role
):
    people = [
        person_with_role(commissioning_body, "commissioner", email=f"person{n}@northvale.example")
        for n in range(15)
    ]
    for person in people:
        response = client.post("/password-reset/", {"email": person.email}, REMOTE_ADDR=ATTACKER)
        assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 10


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_reset_is_sent_from_the_task_queue(client, officer):
    from django_tasks import default_task_backend

    for email in (officer.email, "nobody@northvale.example"):
        response = client.post("/password-reset/", {"email": email})
        assert response["Location"] == "/password-reset/sent/"
    # The request only queues the work: looking the account up happens off the request, so
    # an address with an account and one without are answered in the same way and time.
    assert mail.outbox == []
    queued = [(result.task.name, result.args[0]) for result in default_task_backend.results]
    assert queued == [
        ("send_password_reset", officer.email),
        ("send_password_reset", "nobody@northvale.example"),
    ]


@pytest.mark.django_db
@override_settings(EMAILS_PER_ADDRESS_PER_HOUR=3, EMAILS_PER_CLIENT_PER_HOUR=10)
def test_fifteen_subscription_links_to_one_address_send_three(
    client, django_capture_on_commit_callbacks
):
    from commissioning.core.models import ClientGroup

    group = ClientGroup.objects.filter(is_active=True).first()
    statuses = []
    for n in range(15):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/subscriptions/",
                {"email": "Reader@Example.org", "client_groups": [group.pk]},
                REMOTE_ADDR=f"192.0.2.{n}",
            )
        statuses.append(response.status_code)
    assert statuses == [200] * 3 + [429] * 12
    assert "We have already sent several links to this address" in response.content.decode()
    assert len(mail.outbox) == 3
    # One client cannot spread them over many addresses either.
    for n in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/subscriptions/",
                {"email": f"reader{n}@example.org", "client_groups": [group.pk]},
                REMOTE_ADDR=ATTACKER,
            )
    assert len(mail.outbox) == 3 + 10


@pytest.mark.django_db
def test_a_limit_counts_in_hourly_windows_and_forgets_old_ones(monkeypatch):
    from commissioning.core import throttle
    from commissioning.core.models import ThrottleCount

    now = 1_800_000_000 // 3600 * 3600
    monkeypatch.setattr(throttle.time, "time", lambda: now + 10)
    assert [throttle.hit("test", "198.51.100.7", limit=2) for _ in range(3)] == [True, True, False]
    assert throttle.used("test", "198.51.100.7") == 3
    assert throttle.hit("test", "203.0.113.66", limit=2)  # another key has its own count
    monkeypatch.setattr(throttle.time, "time", lambda: now + 3600)
    assert throttle.used("test", "198.51.100.7") == 0
    assert throttle.hit("test", "198.51.100.7", limit=2)
    # The first use in the new hour cleared the old hour's counts; no address is stored.
    assert list(ThrottleCount.objects.values_list("hits", flat=True)) == [1]
    assert "198.51.100.7" not in ThrottleCount.objects.get().key_digest
