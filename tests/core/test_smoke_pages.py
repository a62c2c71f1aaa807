import pytest


@pytest.mark.django_db
def test_start_page_names_the_cycle(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Secure services" in response.content.decode()
