"""The sectors of the ecosystem: one fixed vocabulary shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from encuentros.core.text import normalize


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")
    PRIVATE = "private", _("Private sector and startups")
    CITIZEN = "citizen", _("Citizen (no organization)")


# Spellings organizers use in their spreadsheets, normalized (see core.text.normalize).
_ALIASES = {
    "government": Sector.GOVERNMENT, "gobierno": Sector.GOVERNMENT, "gob": Sector.GOVERNMENT,
    "sector publico": Sector.GOVERNMENT,
    "publico": Sector.GOVERNMENT,
    "servidor publico": Sector.GOVERNMENT, "servidores publicos": Sector.GOVERNMENT,
    "public sector": Sector.GOVERNMENT,
    "civil_society": Sector.CIVIL_SOCIETY, "civil society": Sector.CIVIL_SOCIETY,
    "sociedad civil": Sector.CIVIL_SOCIETY, "osc": Sector.CIVIL_SOCIETY,
    "ong": Sector.CIVIL_SOCIETY,
    "ngo": Sector.CIVIL_SOCIETY,
    "academia": Sector.ACADEMIA, "academic": Sector.ACADEMIA, "universidad": Sector.ACADEMIA,
    "academico": Sector.ACADEMIA, "university": Sector.ACADEMIA,
    "private": Sector.PRIVATE, "privado": Sector.PRIVATE, "sector privado": Sector.PRIVATE,
    "iniciativa privada": Sector.PRIVATE, "empresa": Sector.PRIVATE, "startup": Sector.PRIVATE,
    "startups": Sector.PRIVATE, "start-up": Sector.PRIVATE, "start-ups": Sector.PRIVATE,
    "private sector": Sector.PRIVATE,
    "citizen": Sector.CITIZEN, "ciudadano": Sector.CITIZEN, "ciudadana": Sector.CITIZEN,
    "ciudadania": Sector.CITIZEN, "sin organizacion": Sector.CITIZEN,
}
for _sector in Sector:
    _ALIASES.setdefault(normalize(str(_sector.label)), _sector)


def parse_sector(value: str) -> Sector | None:
    """Map a code or a Spanish/English spelling to a Sector; None when unknown."""
    return _ALIASES.get(normalize(value or ""))
