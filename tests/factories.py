"""factory_boy factories for realistic core data. Models are created directly here, as
fixtures; the behaviour under test goes through services, selectors, the API and pages."""

import factory
from factory.django import DjangoModelFactory

from commissioning.core.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipMember,
    Person,
    Role,
)

PASSWORD = "Correct-horse-battery-9"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    class Params:
        platform_admin = factory.Trait(is_superuser=True, is_staff=True)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    identifier = factory.Sequence(lambda n: f"GB-CHC-{1100000 + n}")
    kind = Organisation.Kind.PROVIDER
    sector = Organisation.Sector.THIRD
    legal_form = Organisation.LegalForm.CHARITY
    income_band = Organisation.IncomeBand.SMALL

    class Params:
        commissioning_body = factory.Trait(
            name=factory.Sequence(lambda n: f"Borough Council {n}"),
            identifier=factory.Sequence(
                lambda n: f"GB-LAE-{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}Q"
            ),
            kind=Organisation.Kind.COMMISSIONING_BODY,
            sector=Organisation.Sector.PUBLIC,
            legal_form=Organisation.LegalForm.STATUTORY,
            income_band=Organisation.IncomeBand.SUPER_MAJOR,
        )
        third_sector_charity = factory.Trait(
            name=factory.Sequence(lambda n: f"Carers' Support Charity {n}"),
        )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROVIDER_USER


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Joint Commissioning Partnership {n}")
    lead = factory.SubFactory(OrganisationFactory, commissioning_body=True)
    has_pooled_fund = True
    terms_of_reference = "The partnership commissions adult social care jointly."

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if not create:
            return
        PartnershipMember.objects.create(partnership=self, organisation=self.lead)
        for organisation in extracted or [OrganisationFactory(commissioning_body=True)]:
            PartnershipMember.objects.create(partnership=self, organisation=organisation)
