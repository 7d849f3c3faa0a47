"""A deterministic synthetic encounter (the 6th) for trying every feature.

Everything here is invented and labelled as such; the historical encounters (historical.py)
carry only facts from the seed document. People use reserved example.org addresses.
"""

import datetime as dt
import random

from django.utils import timezone

from encuentros.core.sectors import Sector

NUMBER = 6
SEED = 2026
PEOPLE = 400
CAPACITY = 450

TOPICS = ["Movilidad", "Medio ambiente", "Salud", "Seguridad", "Transparencia",
          "Datos abiertos", "Participación ciudadana", "Agua", "Vivienda",
          "Desarrollo económico", "Educación", "Cultura"]

ORGANIZATIONS = {
    Sector.GOVERNMENT: [
        ("Agencia Digital de Innovación Pública (demo)", "ADIP-D"),
        ("Secretaría de Movilidad (demo)", "SEMOVI-D"),
        ("Secretaría del Medio Ambiente (demo)", "SEDEMA-D"),
        ("Secretaría de Salud (demo)", "SEDESA-D"),
        ("Sistema de Aguas (demo)", "SACMEX-D"),
        ("Secretaría de Desarrollo Urbano y Vivienda (demo)", "SEDUVI-D"),
        ("Secretaría de Seguridad Ciudadana (demo)", "SSC-D"),
        ("Secretaría de Cultura (demo)", ""),
        ("Alcaldía Centro (demo)", ""),
        ("Alcaldía Norte (demo)", ""),
        ("Alcaldía Sur (demo)", ""),
        ("Instituto de Transparencia local (demo)", "ITL-D"),
        ("Laboratorio de Innovación Urbana (demo)", "LIU-D"),
        ("Secretaría de Finanzas (demo)", ""),
        ("Consejería Jurídica (demo)", ""),
    ],
    Sector.CIVIL_SOCIETY: [
        ("Colectivo Ciudad en Bici", ""), ("Red por el Agua Limpia", ""),
        ("Observatorio Ciudadano de Seguridad", ""), ("Datos para Todos A.C.", ""),
        ("Mujeres que Mapean", ""), ("Fundación Barrio Vivo", ""),
        ("Iniciativa Transparencia Local", ""), ("Vecinos por el Parque", ""),
        ("Colectivo Memoria Urbana", ""), ("Red de Salud Comunitaria", ""),
    ],
    Sector.ACADEMIA: [
        ("Universidad Metropolitana de Ejemplo", "UME"),
        ("Instituto Tecnológico de la Ciudad (demo)", "ITC-D"),
        ("Centro de Investigación en Ciencia de Datos (demo)", "CICD-D"),
        ("Escuela de Gobierno y Políticas Públicas (demo)", ""),
        ("Facultad de Arquitectura (demo)", ""),
    ],
    Sector.PRIVATE: [
        ("MapaVivo Startup", ""), ("Datalab Consultores", ""), ("CiviTech Labs", ""),
        ("Movilidad Compartida S.A.", ""), ("Visualiza Estudio", ""),
        ("Cooperativa de Software Libre", ""),
    ],
}

SECTOR_WEIGHTS = [(Sector.GOVERNMENT, 35), (Sector.CIVIL_SOCIETY, 25), (Sector.ACADEMIA, 20),
                  (Sector.PRIVATE, 14), (Sector.CITIZEN, 6)]

FIRST = ["Ana", "Luis", "María", "José", "Fernanda", "Carlos", "Lucía", "Jorge", "Valeria",
         "Miguel", "Daniela", "Juan", "Sofía", "Diego", "Camila", "Andrés", "Paola", "Ricardo",
         "Ximena", "Emilio", "Regina", "Pablo", "Mariana", "Tomás", "Renata", "Iván", "Elena",
         "Héctor", "Natalia", "Rodrigo", "Itzel", "Mauricio", "Citlali", "Óscar", "Abril"]
LAST = ["Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez",
        "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes",
        "Jiménez", "Torres", "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz",
        "Castillo", "Romero", "Núñez", "Ríos", "Salazar", "Vega", "Cortés"]

AGENDA = [
    # (day offset, start hh:mm, minutes, kind, title, room)
    (0, "09:00", 30, "talk", "Bienvenida: del acuerdo al resultado", "Auditorio"),
    (0, "09:30", 60, "dialogue", "Diálogo horizontal gobierno–sociedad civil", "Auditorio"),
    (0, "10:45", 90, "table_dynamic", "Dinámica de mesas intersectoriales (3 rondas)",
     "Salón de mesas"),
    (0, "12:30", 30, "break", "Receso", ""),
    (0, "13:00", 90, "workshop", "Taller: ¿qué datos necesita tu propuesta?", "Sala 1"),
    (0, "13:00", 90, "workshop", "Taller: visualización de datos abiertos", "Sala 2"),
    (0, "15:00", 60, "talk", "Presentación de propuestas ciudadanas", "Auditorio"),
    (0, "16:15", 45, "signing", "Firma de cartas de intención", "Auditorio"),
]


def dates(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The synthetic encounter is always upcoming: about a month after loading."""
    today = today or timezone.localdate()
    start = today + dt.timedelta(days=30)
    return start, start


def people(rng: random.Random):
    """Yield (full_name, email, sector, org index or None, topic names, public, accessibility)."""
    sectors = [s for s, _w in SECTOR_WEIGHTS]
    weights = [w for _s, w in SECTOR_WEIGHTS]
    for i in range(PEOPLE):
        sector = rng.choices(sectors, weights)[0]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
        org = None if sector == Sector.CITIZEN else rng.randrange(len(ORGANIZATIONS[sector]))
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        public = rng.random() < 0.4
        access = ""
        if rng.random() < 0.03:
            access = rng.choice(["Intérprete de lengua de señas", "Acceso con silla de ruedas",
                                 "Material en letra grande"])
        yield name, f"persona{i + 1:03d}@example.org", sector, org, topics, public, access
