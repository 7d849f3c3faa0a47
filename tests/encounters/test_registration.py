import pytest
from django.urls import reverse

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters import services
from encuentros.encounters.models import Registration
from encuentros.encounters.services import RegistrationData, RegistrationError


def data(i, **kw):
    base = dict(full_name=f"Persona {i}", email=f"p{i}@example.org",
                sector=Sector.CIVIL_SOCIETY, organization_name="Colectivo Bici")
    base.update(kw)
    return RegistrationData(**base)


@pytest.mark.django_db
def test_capacity_then_waitlist(encounter):
    encounter.capacity = 3
    encounter.save()
    regs = [services.register(encounter, data(i)) for i in range(5)]
    assert [r.status for r in regs] == ["registered"] * 3 + ["waitlisted"] * 2
    assert encounter.registrations.filter(status="registered").count() == 3


@pytest.mark.django_db
def test_cancel_promotes_the_waitlist_in_order(encounter):
    encounter.capacity = 2
    encounter.save()
    regs = [services.register(encounter, data(i)) for i in range(5)]
    promoted = services.cancel(regs[0])
    assert promoted.pk == regs[2].pk
    regs[2].refresh_from_db()
    regs[3].refresh_from_db()
    assert regs[2].status == "registered" and regs[3].status == "waitlisted"
    # Cancelling a waitlisted registration promotes nobody.
    assert services.cancel(regs[4]) is None
    assert encounter.registrations.filter(status="registered").count() == 2


@pytest.mark.django_db
def test_raising_capacity_promotes(encounter):
    encounter.capacity = 1
    encounter.save()
    regs = [services.register(encounter, data(i)) for i in range(3)]
    services.set_capacity(encounter, 2)
    regs[1].refresh_from_db()
    regs[2].refresh_from_db()
    assert (regs[1].status, regs[2].status) == ("registered", "waitlisted")


@pytest.mark.django_db
def test_new_registrations_queue_behind_the_waitlist(encounter):
    encounter.capacity = 1
    encounter.save()
    first = services.register(encounter, data(0))
    services.register(encounter, data(1))
    # The organizer raises capacity but someone registers before promotion would happen:
    encounter.capacity = 2
    encounter.save()
    late = services.register(encounter, data(2))
    assert first.status == "registered"
    assert late.status == "waitlisted"


@pytest.mark.django_db
def test_duplicate_email_is_a_clear_error(encounter):
    services.register(encounter, data(1))
    with pytest.raises(RegistrationError) as exc:
        services.register(encounter, data(1, email="P1@Example.org "))
    assert exc.value.field == "email"
    assert "p1@example.org" in exc.value.message


@pytest.mark.django_db
def test_reregistering_after_cancel_reuses_the_registration(encounter):
    reg = services.register(encounter, data(1))
    services.cancel(reg)
    again = services.register(encounter, data(1))
    assert again.pk == reg.pk and again.status == "registered"


@pytest.mark.django_db
def test_closed_registration_refused(encounter):
    encounter.registration_open = False
    encounter.save()
    with pytest.raises(RegistrationError):
        services.register(encounter, data(1))


@pytest.mark.django_db
def test_organization_matched_case_and_accent_insensitively(encounter, agency):
    reg = services.register(encounter, data(1, organization_name="  secretaria de MOVILIDAD ",
                                            sector=Sector.GOVERNMENT))
    assert reg.organization == agency
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_snapshot_keeps_sector_and_org_when_person_moves(encounter, agency):
    reg = services.register(encounter, data(1, organization_name="SEMOVI",
                                            sector=Sector.GOVERNMENT))
    person = reg.person
    person.organization = None
    person.sector = Sector.PRIVATE
    person.save()
    reg.refresh_from_db()
    assert reg.sector == Sector.GOVERNMENT and reg.organization == agency


@pytest.mark.django_db
def test_web_registration_form(client, encounter, topics):
    url = reverse("encounters:register", args=[encounter.number])
    response = client.post(url, {
        "full_name": "Ana López", "email": "ana@example.org", "organization_name": "",
        "no_organization": "on", "sector": "citizen", "topics": [topics[0].pk],
        "accessibility_needs": "Rampa", "public_profile": "on"})
    assert response.status_code == 302
    reg = Registration.objects.get(person__email="ana@example.org")
    assert reg.organization is None and reg.sector == "citizen"
    assert list(reg.topics.all()) == [topics[0]]
    assert reg.person.public_profile is True
    page = client.get(response["Location"])
    assert reg.badge_token in page.content.decode()


@pytest.mark.django_db
def test_web_form_errors_name_the_field(client, encounter):
    url = reverse("encounters:register", args=[encounter.number])
    response = client.post(url, {"full_name": "", "email": "no-es-correo", "sector": ""})
    form = response.context["form"]
    assert {"full_name", "email", "sector", "organization_name"} <= set(form.errors)
    services.register(encounter, data(9))
    response = client.post(url, {"full_name": "X", "email": "p9@example.org",
                                 "organization_name": "Colectivo Bici", "sector": "civil_society"})
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_an_accounts_email_cannot_be_used_anonymously(client, encounter, user):
    Person.objects.create(full_name="Dueña", email=user.email, sector="citizen", user=user)
    url = reverse("encounters:register", args=[encounter.number])
    response = client.post(url, {"full_name": "Impostor", "email": user.email,
                                 "no_organization": "on", "sector": "citizen"})
    assert "email" in response.context["form"].errors
    assert Person.objects.get(email=user.email).full_name == "Dueña"


@pytest.mark.django_db
def test_logged_in_registration_links_the_account(client, encounter, user):
    client.force_login(user)
    url = reverse("encounters:register", args=[encounter.number])
    client.post(url, {"full_name": "Participante Uno", "email": "ignored@example.org",
                      "no_organization": "on", "sector": "citizen"})
    reg = Registration.objects.get()
    assert reg.person.user == user and reg.person.email == user.email
    assert client.get(url).status_code == 302  # already registered: goes to the badge page


@pytest.mark.django_db
def test_participant_cancels_own_registration(client, encounter, user):
    encounter.capacity = 1
    encounter.save()
    client.force_login(user)
    client.post(reverse("encounters:register", args=[encounter.number]), {
        "full_name": "Participante", "no_organization": "on", "sector": "citizen"})
    waiting = services.register(encounter, data(2))
    assert waiting.status == "waitlisted"
    client.post(reverse("encounters:cancel_my_registration", args=[encounter.number]))
    waiting.refresh_from_db()
    assert waiting.status == "registered"
