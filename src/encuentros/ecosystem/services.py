"""Finding or creating organizations, people and topics without duplicates."""

from django.db import transaction

from encuentros.core.sectors import Sector
from encuentros.core.text import normalize

from .models import Organization, Person, Topic

_KIND_BY_SECTOR = {
    Sector.GOVERNMENT: Organization.Kind.AGENCY,
    Sector.CIVIL_SOCIETY: Organization.Kind.NGO,
    Sector.ACADEMIA: Organization.Kind.UNIVERSITY,
    Sector.PRIVATE: Organization.Kind.COMPANY,
}


def find_organization(name: str) -> Organization | None:
    """Case- and accent-insensitive lookup by name or acronym."""
    key = normalize(name)
    if not key:
        return None
    org = Organization.objects.filter(name_key=key).first()
    if org is None:
        matches = [o for o in Organization.objects.filter(acronym__iexact=name.strip())]
        org = matches[0] if len(matches) == 1 else None
    return org


def get_or_create_organization(name: str, sector: str) -> tuple[Organization, bool]:
    org = find_organization(name)
    if org is not None:
        return org, False
    org = Organization.objects.create(
        name=" ".join(name.split()), sector=sector,
        kind=_KIND_BY_SECTOR.get(sector, Organization.Kind.OTHER),
    )
    return org, True


def get_or_create_topics(names) -> list[Topic]:
    topics = []
    for name in names:
        key = normalize(name)
        if not key:
            continue
        topic = Topic.objects.filter(name_key=key).first()
        if topic is None:
            topic = Topic.objects.create(name=" ".join(name.split()))
        topics.append(topic)
    return topics


@transaction.atomic
def upsert_person(*, full_name: str, email: str, sector: str, organization=None,
                  public_profile: bool | None = None, phone: str = "", user=None) -> Person:
    """The person with this email (case-insensitive), updated; or a new one."""
    email = (email or "").strip().lower()
    person = Person.objects.select_for_update().filter(email=email).first() if email else None
    if person is None:
        person = Person(email=email or None)
    person.full_name = " ".join(full_name.split())
    person.sector = sector
    person.organization = organization
    if phone:
        person.phone = phone
    if public_profile is not None:
        person.public_profile = public_profile
    if user is not None and person.user_id is None:
        person.user = user
    person.save()
    return person


class OrganizationMatcher:
    """In-memory find-or-create for bulk work: same matching as ``find_organization``."""

    def __init__(self):
        self.by_key, self.by_acronym = {}, {}
        for org in Organization.objects.only("pk", "name", "name_key", "acronym", "sector"):
            self.by_key[org.name_key] = org
            if org.acronym:
                self.by_acronym.setdefault(org.acronym.strip().casefold(), []).append(org)

    def get_or_create(self, name: str, sector: str) -> Organization:
        key = normalize(name)
        org = self.by_key.get(key)
        if org is None:
            candidates = self.by_acronym.get(name.strip().casefold(), [])
            org = candidates[0] if len(candidates) == 1 else None
        if org is None:
            org, _created = get_or_create_organization(name, sector)
            self.by_key[org.name_key] = org
        return org


class TopicMatcher:
    def __init__(self):
        self.by_key = {t.name_key: t for t in Topic.objects.all()}

    def get_or_create_many(self, names) -> list[Topic]:
        out = []
        for name in names:
            if isinstance(name, Topic):
                out.append(name)
                continue
            key = normalize(name)
            if not key:
                continue
            if key not in self.by_key:
                self.by_key[key] = Topic.objects.create(name=" ".join(name.split()))
            out.append(self.by_key[key])
        return out
