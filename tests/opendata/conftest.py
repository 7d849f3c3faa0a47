import pytest
from django.contrib.auth import get_user_model

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Person, Topic
from encuentros.opendata.models import Dataset


@pytest.fixture
def citizen(db):
    user = get_user_model().objects.create_user("lucia", "lucia.canario@example.org",
                                                "s3cret-pass-123")
    Person.objects.create(user=user, full_name="Lucía Canario", email="lucia.canario@example.org",
                          sector=Sector.CIVIL_SOCIETY)
    return user


@pytest.fixture
def catalog(db):
    movilidad, ambiente = (Topic.objects.create(name="Movilidad"),
                           Topic.objects.create(name="Medio ambiente"))
    semovi = Organization.objects.create(name="Secretaría de Movilidad", sector=Sector.GOVERNMENT)
    sedema = Organization.objects.create(name="Secretaría del Medio Ambiente",
                                         sector=Sector.GOVERNMENT)
    rows = [(semovi, movilidad, "Viajes en bicicleta pública", ["bicicletas", "ecobici"]),
            (semovi, movilidad, "Incidentes de tránsito", ["choques", "seguridad vial"]),
            (sedema, ambiente, "Calidad del aire", ["ozono", "contaminación"]),
            (sedema, ambiente, "Arbolado urbano", ["árboles"])]
    for i, (org, topic, title, kw) in enumerate(rows):
        d = Dataset.objects.create(title=title, publisher=org, identifier=f"d{i}",
                                   keywords=kw, formats=["CSV"])
        d.themes.add(topic)
    return {"semovi": semovi, "sedema": sedema, "movilidad": movilidad, "ambiente": ambiente}


@pytest.fixture(autouse=True)
def english():
    """Service-level messages are checked in English here (the Spanish catalog is checked by
    tests/core/test_translations.py and test_messages_are_translated)."""
    from django.utils import translation

    with translation.override("en"):
        yield
