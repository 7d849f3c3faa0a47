"""The five historical encounters, with only the facts the seed document states.

Source: shared/seed/000_a5d00aee478f7fee.txt (Laboratorio para la Ciudad, "Encuentros de
Gobierno Abierto", sections ITERACIONES and Resultados). Where the source does not give a number
or a sector, the value stays unknown (None): nothing is inferred.
"""

import datetime as dt

SOURCE = "Laboratorio para la Ciudad, «Encuentros de Gobierno Abierto» (ficha del experimento)"

ENCOUNTERS = [
    {
        "number": 1,
        "title": "Primer Encuentro de Gobierno Abierto",
        "theme": "Retos y Oportunidades para la CDMX",
        "start_date": dt.date(2013, 10, 17),
        "end_date": dt.date(2013, 10, 17),
        "venues": ["Auditorio BlackBerry"],
        "objective": "Presentar el concepto de gobierno abierto a los servidores públicos de la "
                     "administración pública de la Ciudad de México.",
        "scope": "Se generó un espacio que dio pie a la formación de la Plataforma de Gobierno "
                 "Abierto de la Ciudad de México (Conformada por: Seciti*, Cgma, Dggtic, Cejur, "
                 "Cgdf, Sefin*, LabCDMX + Pides, A.C.)",
        "attendance": [
            {"sector": "government", "people": 100, "organizations": 40,
             "note": "servidores públicos de 40 dependencias (oficinas de TIC)"},
        ],
    },
    {
        "number": 2,
        "title": "Segundo Encuentro de Gobierno Abierto",
        "theme": "Procesos de Cambio",
        "start_date": dt.date(2014, 10, 17),
        "end_date": dt.date(2014, 10, 17),
        "venues": ["Centro de Cultura Digital"],
        "objective": "Presentar los avances del primer año de trabajo de la Plataforma de "
                     "Gobierno Abierto y vincular a servidores públicos con actores de la sociedad "
                     "civil organizada y comunidad de startups tecnológicas.",
        "scope": "Se presentó el nuevo Portal de Datos Abiertos y se anunció la creación del Bus "
                 "de Interoperabilidad. De este encuentro surgió Mapatón.",
        "attendance": [
            {"sector": "government", "people": 120, "organizations": 50,
             "note": "servidores públicos de 50 dependencias"},
            {"sector": "civil_society", "people": 60, "organizations": 30,
             "note": "sociedad civil de 30 organizaciones"},
        ],
    },
    {
        "number": 3,
        "title": "Tercer Encuentro de Gobierno Abierto",
        "theme": "Ciudad Abierta",
        "start_date": dt.date(2015, 12, 16),
        "end_date": dt.date(2015, 12, 16),
        "venues": ["Fotomuseo Cuatro Caminos"],
        "objective": "Generar comunidad entre servidores públicos y sociedad civil, aterrizar los "
                     "conceptos de gobierno abierto a través de dinámicas vivenciales, reconocer "
                     "los avances de servidores públicos comprometidos con la agenda y presentar "
                     "las disposiciones de la Ley Ciudad Abierta.",
        "scope": "Se promovieron los contenidos de la recientemente aprobada Ley Ciudad Abierta. "
                 "De este encuentro surgieron recomendaciones para el Consejo de Ciudad Abierta en "
                 "particular y la estrategia de gobierno abierto en general, así como el prototipo "
                 "de Instrumento de Evaluación de Estado de Apertura Organizacional por Sector en "
                 "la CDMX y el prototipo de Atlas Ecosistémico.",
        "attendance": [
            {"sector": "government", "people": 50, "organizations": None,
             "note": "servidores públicos"},
            {"sector": "civil_society", "people": 50, "organizations": None,
             "note": "sociedad civil"},
        ],
    },
    {
        "number": 4,
        "title": "Cuarto Encuentro de Gobierno Abierto",
        "theme": "Soluciones para la Ciudad",
        "start_date": dt.date(2016, 12, 8),
        "end_date": dt.date(2016, 12, 8),
        "venues": ["Centro Interactivo Futura CDMX"],
        "objective": "Fortalecer la estrategia de Gobierno Abierto de la Ciudad de México a través "
                     "de intercambios de propuestas y formalización de acuerdos intersectoriales "
                     "para pensar en soluciones para las políticas y programas de la ciudad "
                     "aprovechando datos abiertos.",
        "scope": "Se logró una identificación de prioridades ciudadanas sobre información "
                 "gubernamental, que arrojó insumos para la estrategia de datos abiertos de la "
                 "Ciudad de México. En este encuentro se identificaron a los grupos ciudadanos que "
                 "posteriormente participarían en la resolución de retos urbanos como parte del "
                 "Seminario de Ciencia de Datos. También, se firmó el acuerdo entre el Gobierno "
                 "CDMX y distintas universidades que permitiría la incorporación de la academia en "
                 "este seminario.",
        "attendance": [
            {"sector": "government", "people": 76, "organizations": 24,
             "note": "servidores públicos de 24 dependencias"},
            # The source gives 33 organizations of several sectors together, and no head count.
            {"sector": None, "people": None, "organizations": 33,
             "note": "organizaciones de la sociedad civil, academia y start-ups"},
        ],
    },
    {
        "number": 5,
        "title": "Quinto Encuentro de Gobierno Abierto",
        "theme": "Ver para entender: visualización de datos",
        "start_date": dt.date(2017, 12, 7),
        "end_date": dt.date(2017, 12, 8),
        "venues": ["WeWork Varsovia", "Fraternidad UC"],
        "objective": "Promover la visualización de datos como una herramienta de gobierno abierto "
                     "en un público que no necesariamente está familiarizado con la utilización y "
                     "aprovechamiento de datos o con herramientas de generación de "
                     "visualizaciones.",
        "scope": "Este encuentro se enfocó en capacidades que permiten diseñar, visualizar y "
                 "potenciar la creación de valor público a partir de la visualización de datos y "
                 "la colaboración intersectorial. En el 5º Encuentro de Gobierno Abierto también "
                 "se presentaron los avances del Seminario Ciencia de Datos para la Ciudad y "
                 "Código CDMX.\n\nSucesos: Inicio de la creación de Treepedia CDMX, con la "
                 "participación del MIT Senseable City Lab, así como generación de "
                 "visualizaciones de los datos del sondeo Imagina tu Ciudad a través del taller "
                 "impartido por Jer Thorp y Mahir Yavuz.",
        "attendance": [
            # 90 attendees; the source does not say of which sectors.
            {"sector": None, "people": 90, "organizations": None, "note": "asistentes"},
        ],
    },
]
