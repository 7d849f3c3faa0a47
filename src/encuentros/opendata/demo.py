"""Demo data of the open-data app (synthetic encounter only): a small catalog of the fictitious
agencies, data requests with supports in every status, and a matchmaking run."""

import random

from django.contrib.auth import get_user_model

from encuentros.core.sectors import Sector
from encuentros.ecosystem.models import Organization, Topic

from . import services
from .catalogs import Record
from .models import DataRequest, Dataset, Vote

SEED = 404
CATALOG = "demo: catálogo sintético"
DATASETS = [
    ("Secretaría de Movilidad (demo)", "Movilidad", "Viajes en bicicleta pública por estación",
     ["bicicletas", "viajes", "estaciones"], ["CSV", "JSON"]),
    ("Secretaría de Movilidad (demo)", "Movilidad", "Incidentes viales georreferenciados",
     ["incidentes", "seguridad vial", "choques"], ["CSV", "GEOJSON"]),
    ("Secretaría de Movilidad (demo)", "Movilidad", "Rutas y paradas de transporte público",
     ["transporte", "rutas", "paradas", "gtfs"], ["ZIP"]),
    ("Secretaría del Medio Ambiente (demo)", "Medio ambiente",
     "Calidad del aire por estación de monitoreo", ["aire", "contaminantes", "ozono"], ["CSV"]),
    ("Secretaría del Medio Ambiente (demo)", "Medio ambiente", "Arbolado urbano",
     ["árboles", "arbolado", "áreas verdes"], ["CSV", "SHP"]),
    ("Sistema de Aguas (demo)", "Medio ambiente", "Consumo de agua por colonia",
     ["agua", "consumo", "colonias"], ["CSV"]),
    ("Sistema de Aguas (demo)", "Medio ambiente", "Reportes de fugas de agua",
     ["fugas", "agua", "reportes"], ["CSV", "API"]),
    ("Secretaría de Salud (demo)", "Salud", "Unidades de salud y sus horarios",
     ["hospitales", "centros de salud", "horarios"], ["CSV"]),
    ("Secretaría de Seguridad Ciudadana (demo)", "Seguridad", "Denuncias por delito y colonia",
     ["delitos", "denuncias", "seguridad"], ["CSV"]),
    ("Secretaría de Desarrollo Urbano y Vivienda (demo)", "Desarrollo urbano",
     "Uso de suelo por predio", ["uso de suelo", "predios", "vivienda"], ["SHP", "CSV"]),
]
REQUESTS = [
    ("Ocupación en tiempo real de las estaciones de bicicleta", "Planear viajes y detectar "
     "estaciones vacías", "Movilidad", "Secretaría de Movilidad (demo)", "API", "tiempo real"),
    ("Mapa de cruces peligrosos para peatones", "Priorizar obras de seguridad vial cerca de "
     "escuelas", "Movilidad", None, "GeoJSON", "mensual"),
    ("Ruido ambiental por colonia", "Entender el efecto del ruido en la salud", "Medio ambiente",
     "Secretaría del Medio Ambiente (demo)", "CSV", "mensual"),
    ("Árboles plantados y sobrevivencia", "Evaluar las campañas de reforestación",
     "Medio ambiente", None, "CSV", "anual"),
    ("Calidad del agua en la red por colonia", "Saber si el agua es potable en cada colonia",
     "Salud", "Sistema de Aguas (demo)", "CSV", "semanal"),
    ("Tiempo de espera en centros de salud", "Reducir filas y mejorar la atención", "Salud",
     "Secretaría de Salud (demo)", "API", "diaria"),
    ("Delitos cerca del transporte público", "Hacer más seguros los trayectos", "Seguridad",
     None, "CSV", "mensual"),
    ("Licencias de construcción otorgadas", "Vigilar la transparencia en el desarrollo urbano",
     "Desarrollo urbano", "Secretaría de Desarrollo Urbano y Vivienda (demo)", "CSV",
     "mensual"),
]


def load(historical, current) -> dict:
    orgs = {o.name: o for o in Organization.objects.filter(sector=Sector.GOVERNMENT,
                                                           name__endswith="(demo)")}
    topics = {t.name: t for t in Topic.objects.all()}
    for i, (org, theme, title, keywords, formats) in enumerate(DATASETS):
        record = Record(identifier=f"demo-{i:02d}", title=title, publisher=org,
                        themes=[theme], keywords=keywords, formats=formats,
                        licence="CC-BY-4.0", description=f"{title}. Datos ficticios de "
                        "demostración.")
        dataset, _ = Dataset.objects.update_or_create(
            source_catalog=CATALOG, identifier=record.identifier,
            defaults={"title": title, "description": record.description,
                      "publisher": orgs.get(org), "keywords": keywords, "formats": formats,
                      "licence": record.licence})
        if theme in topics:
            dataset.themes.set([topics[theme]])
    if DataRequest.objects.filter(encounter=current).exists():
        return {"datasets": Dataset.objects.filter(source_catalog=CATALOG).count(),
                "data_requests": DataRequest.objects.filter(encounter=current).count()}
    rng = random.Random(SEED)
    User = get_user_model()
    voters = []
    for i in range(12):
        user, _ = User.objects.get_or_create(username=f"demo-votante-{i:02d}",
                                             defaults={"email": f"votante{i}@example.org"})
        voters.append(user)
    regs = list(current.registrations.exclude(sector=Sector.GOVERNMENT)
                .select_related("person").order_by("pk")[:len(REQUESTS)])
    for i, (title, problem, topic, agency, fmt, freq) in enumerate(REQUESTS):
        person = regs[i].person if i < len(regs) else None
        req = DataRequest.objects.create(
            title=title, problem=problem, topic=topics.get(topic), agency=orgs.get(agency),
            desired_format=fmt, frequency=freq, encounter=current, requester=person,
            requester_sector=person.sector if person else "")
        for user in rng.sample(voters, rng.randint(1, len(voters))):
            Vote.objects.get_or_create(request=req, user=user)
        req.votes_count = req.votes.count()
        req.save(update_fields=["votes_count"])
    services.run_matchmaking(current)
    done = DataRequest.objects.filter(encounter=current, title__startswith="Árboles").first()
    if done:
        done.status = DataRequest.Status.PUBLISHED
        done.agency_response = "Publicado en el catálogo como «Arbolado urbano» (demo)."
        done.datasets.set(Dataset.objects.filter(source_catalog=CATALOG,
                                                 title="Arbolado urbano"))
        done.save()
    declined = DataRequest.objects.filter(encounter=current, title__startswith="Delitos").first()
    if declined:
        declined.status = DataRequest.Status.DECLINED
        declined.public_reason = "La ubicación exacta de las víctimas es información reservada."
        declined.save()
    return {"datasets": len(DATASETS), "data_requests": len(REQUESTS)}
