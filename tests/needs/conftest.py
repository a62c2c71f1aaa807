import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db):
    """The demo loaded, and its older people's needs assessment (a draft)."""
    from commissioning.needs.models import NeedsAssessment

    call_command("load_demo", verbosity=0)
    return NeedsAssessment.objects.get(title__startswith="Older people's needs")
