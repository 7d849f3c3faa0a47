"""ARCO rights (access, rectification, cancellation, opposition) for a person.

Each app that keeps data about people registers, in its own ``privacy.py``:
* a provider with :func:`personal_data` — ``func(person) -> (section name, data)`` — for the
  person's download of everything the platform holds about them;
* an eraser with :func:`on_erase` — ``func(person)`` — that removes what identifies them in that
  app while keeping aggregates true.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import Person

_PROVIDERS = []
_ERASERS = []
ERASED_NAME = "Persona eliminada"


def personal_data(func):
    _PROVIDERS.append(func)
    return func


def on_erase(func):
    _ERASERS.append(func)
    return func


def autodiscover() -> None:
    autodiscover_modules("privacy")


def export(person: Person, user=None) -> dict:
    data = {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "full_name": person.full_name, "email": person.email, "phone": person.phone,
            "sector": person.sector, "position": person.position, "bio": person.bio,
            "organization": person.organization.name if person.organization else None,
            "topics": [t.name for t in person.topics.all()],
            "public_profile": person.public_profile,
            "created_at": person.created_at.isoformat(),
        },
    }
    if user is not None:
        data["account"] = {"username": user.username, "email": user.email,
                           "date_joined": user.date_joined.isoformat(),
                           "last_login": user.last_login.isoformat() if user.last_login
                           else None}
    for func in _PROVIDERS:
        name, section = func(person)
        data[name] = section
    return data


@transaction.atomic
def erase(person: Person) -> None:
    """Anonymize the person everywhere; counts by sector and organization stay true."""
    for func in _ERASERS:
        func(person)
    user = person.user
    person.full_name = ERASED_NAME
    person.email = None
    person.phone = ""
    person.position = ""
    person.bio = ""
    person.public_profile = False
    person.user = None
    person.topics.clear()
    person.save()
    if user is not None:
        user.delete()


def withdraw_public_profile(person: Person) -> None:
    """Opposition: the person is no longer named anywhere public."""
    person.public_profile = False
    person.save(update_fields=["public_profile"])
