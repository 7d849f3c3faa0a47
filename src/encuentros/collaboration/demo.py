"""Demo data of the collaboration app, called by encuentros.demo.services.load_demo.

Historical encounters: only what the seed document states (shared/seed/000_a5d00aee478f7fee.txt)
— the initiatives each one produced, the academia–government agreement signed at the 4th and the
eight collaborative tables of the Seminario Ciencia de Datos para la Ciudad, whose names, members
and challenges the seed does not give (so none are invented). The synthetic 6th encounter gets
fictitious challenges, proposals, tables, agreements and commitments, generated
deterministically. Loading twice changes nothing.
"""

import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from encuentros.core.sectors import Sector
from encuentros.demo.historical import SOURCE
from encuentros.ecosystem.models import Organization

from .models import (
    Agreement,
    Challenge,
    ChangeRecord,
    CollaborativeTable,
    Commitment,
    Initiative,
    Milestone,
    Proposal,
    TableMember,
    TableSession,
)

SEMINARIO_TABLES = 8
# (key, encounter number, name, status, description quoted or condensed from the seed)
INITIATIVES = [
    ("plataforma-gobierno-abierto", 1, "Plataforma de Gobierno Abierto de la Ciudad de México",
     Initiative.Status.UNKNOWN,
     "El primer encuentro dio pie a su formación. Conformada por: Seciti, Cgma, Dggtic, Cejur, "
     "Cgdf, Sefin, LabCDMX + Pides, A.C. En el segundo encuentro se presentaron los avances de "
     "su primer año de trabajo."),
    ("portal-datos-abiertos", 2, "Portal de Datos Abiertos", Initiative.Status.DELIVERED,
     "Se presentó el nuevo Portal de Datos Abiertos en el segundo encuentro."),
    ("bus-interoperabilidad", 2, "Bus de Interoperabilidad", Initiative.Status.ANNOUNCED,
     "Se anunció su creación en el segundo encuentro."),
    ("mapaton", 2, "Mapatón", Initiative.Status.UNKNOWN,
     "Surgió del segundo encuentro."),
    ("recomendaciones-consejo-ciudad-abierta", 3,
     "Recomendaciones para el Consejo de Ciudad Abierta", Initiative.Status.DELIVERED,
     "Recomendaciones para el Consejo de Ciudad Abierta en particular y la estrategia de "
     "gobierno abierto en general."),
    ("instrumento-apertura", 3,
     "Prototipo de Instrumento de Evaluación de Estado de Apertura Organizacional por Sector",
     Initiative.Status.DELIVERED,
     "Prototipo de Instrumento de Evaluación de Estado de Apertura Organizacional por Sector en "
     "la CDMX."),
    ("atlas-ecosistemico", 3, "Prototipo de Atlas Ecosistémico", Initiative.Status.DELIVERED,
     "Surgió del tercer encuentro."),
    ("acuerdo-academia-gobierno", 4, "Acuerdo entre academia y Gobierno de la CDMX",
     Initiative.Status.DELIVERED,
     "Firma de expresión de interés entre academia y el Gobierno de la Ciudad de México, que "
     "permitiría la incorporación de la academia en el Seminario Ciencia de Datos para la "
     "Ciudad."),
    ("seminario-ciencia-datos", 4, "Seminario Ciencia de Datos para la Ciudad",
     Initiative.Status.UNKNOWN,
     "De las 20 propuestas ciudadanas presentadas en el cuarto encuentro surgieron ocho mesas "
     "colaborativas trabajando en el mismo número de desafíos urbanos. En el quinto encuentro "
     "se presentaron sus avances."),
    ("treepedia-cdmx", 5, "Treepedia CDMX", Initiative.Status.UNKNOWN,
     "En el quinto encuentro inició su creación, con la participación del MIT Senseable City "
     "Lab."),
]

AGREEMENT_4_TITLE = ("Expresión de interés entre la academia y el Gobierno de la Ciudad de "
                     "México")
AGREEMENT_4_TEXT = (
    "Firma de expresión de interés entre academia y el Gobierno de la Ciudad de México para "
    "fortalecer la estrategia de gobierno abierto a través de buenas prácticas de colaboración "
    "que generen soluciones en la Ciudad a partir del aprovechamiento de datos abiertos para los "
    "diagnósticos o soluciones a retos urbanos. Permitiría la incorporación de la academia en el "
    "Seminario Ciencia de Datos para la Ciudad.")


def load(historical, current) -> dict:
    """historical: the five Encounter objects of the seed; current: the synthetic encounter."""
    by_number = {e.number: e for e in historical}
    counts = {"initiatives": 0, "tables": 0, "agreements": 0}
    tables_4 = []
    if 4 in by_number:
        tables_4 = _seminario_tables(by_number[4])
        _agreement_4(by_number[4])
    for order, (key, number, name, status, description) in enumerate(INITIATIVES):
        encounter = by_number.get(number)
        if encounter is None:
            continue
        initiative, _ = Initiative.objects.update_or_create(
            key=key, defaults={"name": name, "encounter": encounter, "status": status,
                               "description": description, "source": SOURCE, "order": order})
        if key == "seminario-ciencia-datos":
            initiative.tables.set(tables_4)
    counts["initiatives"] = Initiative.objects.count()
    if current is not None:
        _synthetic(current)
    counts["tables"] = CollaborativeTable.objects.count()
    counts["agreements"] = Agreement.objects.count()
    counts["proposals"] = Proposal.objects.count()
    counts["commitments"] = Commitment.objects.count()
    return counts


def _seminario_tables(encounter) -> list[CollaborativeTable]:
    tables = []
    for i in range(1, SEMINARIO_TABLES + 1):
        table, _ = CollaborativeTable.objects.update_or_create(
            encounter=encounter,
            name=f"Mesa colaborativa {i} del Seminario Ciencia de Datos para la Ciudad",
            defaults={"status": CollaborativeTable.Status.UNKNOWN,
                      "description": "Una de las ocho mesas colaborativas que surgieron del "
                                     "cuarto encuentro, cada una trabajando en un desafío "
                                     "urbano. El documento fuente no registra su desafío ni "
                                     "sus integrantes."})
        tables.append(table)
    return tables


def _agreement_4(encounter) -> Agreement:
    agreement, _ = Agreement.objects.update_or_create(
        encounter=encounter, title=AGREEMENT_4_TITLE,
        defaults={"kind": Agreement.Kind.EXPRESSION_OF_INTEREST, "text": AGREEMENT_4_TEXT,
                  "signatories_note": "Gobierno de la Ciudad de México y distintas "
                                      "universidades",
                  "signed_on": encounter.start_date, "source": SOURCE})
    return agreement


# ---------------------------------------------------------------- the synthetic 6th encounter

SYN_CHALLENGES = [
    ("Cruces peligrosos para peatones (demo)", "Movilidad", 1),
    ("Fugas de agua sin atender (demo)", "Agua", 4),
    ("Calor urbano y arbolado (demo)", "Medio ambiente", 2),
    ("Tiempo de espera en centros de salud (demo)", "Salud", 3),
    ("Transparencia en obra pública (demo)", "Transparencia", 11),
]
SYN_IDEAS = ["Mapa colaborativo de {t}", "Tablero abierto sobre {t}", "Alertas ciudadanas de {t}",
             "Índice barrial de {t}", "Visualización participativa de {t}",
             "Bot de reportes de {t}", "Datos abiertos de {t} por colonia",
             "Laboratorio escolar de {t}"]
SYN_STATES = ([Proposal.Status.SUBMITTED] * 10 + [Proposal.Status.UNDER_REVIEW] * 8
              + [Proposal.Status.SELECTED] * 4 + [Proposal.Status.IN_TABLE] * 8
              + [Proposal.Status.IMPLEMENTED] * 2 + [Proposal.Status.NOT_SELECTED] * 6
              + [Proposal.Status.DRAFT] * 2)
ROLE_BY_SECTOR = {Sector.GOVERNMENT: TableMember.Role.DATA_HOLDER,
                  Sector.ACADEMIA: TableMember.Role.ACADEMIA,
                  Sector.CIVIL_SOCIETY: TableMember.Role.CIVIL_SOCIETY,
                  Sector.PRIVATE: TableMember.Role.PRIVATE,
                  Sector.CITIZEN: TableMember.Role.CITIZEN}
FICTITIOUS = "Dato ficticio de demostración."


def _synthetic(encounter) -> None:
    if Challenge.objects.filter(encounter=encounter).exists():
        return  # already loaded: loading twice changes nothing
    rng = random.Random(606)
    today = timezone.localdate()
    gov = list(Organization.objects.filter(sector=Sector.GOVERNMENT,
                                           name__endswith="(demo)").order_by("name"))
    registrations = list(encounter.registrations.filter(source="demo")
                         .select_related("person", "organization").order_by("pk"))
    challenges = []
    for title, topic_name, _ in SYN_CHALLENGES:
        challenge = Challenge.objects.create(
            title=title, encounter=encounter, description=FICTITIOUS,
            topic=encounter.topics.filter(name=topic_name).first())
        challenge.agencies.set(rng.sample(gov, 2) if len(gov) >= 2 else gov)
        challenges.append(challenge)
    proposals = []
    for i, status in enumerate(SYN_STATES):
        challenge = challenges[i % len(challenges)]
        topic = challenge.title.split(" (demo)")[0].lower()
        reg = registrations[(i * 7) % len(registrations)] if registrations else None
        p = Proposal(
            title=f"{SYN_IDEAS[i % len(SYN_IDEAS)].format(t=topic)} #{i + 1} (demo)",
            summary=f"Propuesta ficticia sobre «{topic}». {FICTITIOUS}",
            challenge=challenge, encounter=encounter, status=status,
            author_organization=reg.organization if reg else None,
            team=f"Equipo demo {i + 1}", support_count=rng.randint(0, 40),
            status_reason=("No se cuenta con los datos necesarios en este ciclo (demo)."
                           if status == Proposal.Status.NOT_SELECTED else ""),
            submitted_at=None if status == Proposal.Status.DRAFT else timezone.now())
        proposals.append(p)
    Proposal.objects.bulk_create(proposals)
    ct = ContentType.objects.get_for_model(Proposal)
    ChangeRecord.objects.bulk_create(
        ChangeRecord(content_type=ct, object_id=p.pk, actor_role="system", action="created",
                     changes={"status": [None, p.status]}, note=FICTITIOUS)
        for p in proposals)

    # Data needs: the synthetic encounter's data requests (from the opendata demo), if any.
    from django.apps import apps

    requests = list(apps.get_model("opendata", "DataRequest").objects
                    .filter(encounter=encounter).order_by("pk")[:60])
    if requests:
        link = Proposal.data_requests.through
        pairs = {(p.pk, requests[(i * 3 + k) % len(requests)].pk)
                 for i, p in enumerate(proposals) for k in range(1 + i % 2)}
        link.objects.bulk_create(link(proposal_id=a, datarequest_id=b)
                                 for a, b in sorted(pairs))

    in_table = [p for p in proposals if p.status in (Proposal.Status.IN_TABLE,
                                                     Proposal.Status.IMPLEMENTED)]
    tables = []
    for i, challenge in enumerate(challenges[:4]):
        table = CollaborativeTable.objects.create(
            name=f"Mesa demo {i + 1}: {challenge.title}", challenge=challenge,
            encounter=encounter, description=FICTITIOUS,
            status=[CollaborativeTable.Status.ACTIVE, CollaborativeTable.Status.ACTIVE,
                    CollaborativeTable.Status.FORMING, CollaborativeTable.Status.CONCLUDED][i])
        table.proposals.set(in_table[i::4])
        members = registrations[i * 9:(i + 1) * 9]
        TableMember.objects.bulk_create(
            TableMember(table=table, person=r.person, organization=r.organization,
                        sector=r.sector,
                        role=(TableMember.Role.COORDINATOR if j == 0
                              else ROLE_BY_SECTOR.get(r.sector, TableMember.Role.OTHER)))
            for j, r in enumerate(members))
        for s in range(2):
            TableSession.objects.create(
                table=table, date=today - dt.timedelta(days=60 - 21 * s - i),
                title=f"Sesión {s + 1}", minutes=f"Minuta ficticia de la sesión {s + 1}.")
        tables.append(table)

    academia = list(Organization.objects.filter(sector=Sector.ACADEMIA).order_by("name")[:2])
    agreements = []
    for i, (kind, title) in enumerate([
            (Agreement.Kind.LETTER_OF_INTENT, "Carta de intención para abrir datos de movilidad "
                                              "(demo)"),
            (Agreement.Kind.COVENANT, "Convenio de colaboración en datos de agua (demo)"),
            (Agreement.Kind.AGREEMENT, "Acuerdo de seguimiento de arbolado urbano (demo)")]):
        agreement = Agreement.objects.create(
            kind=kind, title=title, text=FICTITIOUS, encounter=encounter, table=tables[i],
            signed_on=today - dt.timedelta(days=90 - i))
        agreement.signatories.set([gov[(i * 3) % len(gov)], *academia] if gov else academia)
        agreements.append(agreement)

    C = Commitment.Status
    plan = [  # (agreement index or None for table, title, due offset days, status, progress)
        (0, "Publicar el conjunto de datos de cruces peatonales", -30, C.IN_PROGRESS, None),
        (0, "Abrir la API de incidentes viales", 45, C.NOT_STARTED, None),
        (0, "Tablero público de seguimiento", -10, C.COMPLETED, None),
        (1, "Publicar reportes de fugas por colonia", -45, C.DELAYED, None),
        (1, "Capacitar a 30 servidores públicos en datos abiertos", 60, C.IN_PROGRESS, 40),
        (1, "Piloto de alertas ciudadanas", 20, C.CANCELLED, 0),
        (2, "Inventario abierto de arbolado", 90, C.IN_PROGRESS, None),
        (2, "Mapa de islas de calor", -5, C.IN_PROGRESS, 70),
        (None, "Informe de la mesa de salud", 30, C.IN_PROGRESS, 25),
        (None, "Protocolo de reportes de espera", -20, C.NOT_STARTED, 0),
    ]
    for i, (a_i, title, due, status, progress) in enumerate(plan):
        agreement = agreements[a_i] if a_i is not None else None
        table = tables[3] if a_i is None else agreement.table
        responsible = gov[(i * 2) % len(gov)] if gov else None
        commitment = Commitment.objects.create(
            title=f"{title} (demo)", description=FICTITIOUS, agreement=agreement, table=table,
            responsible=responsible, due_date=today + dt.timedelta(days=due), status=status,
            status_reason={C.DELAYED: "La dependencia reportó falta de personal (demo).",
                           C.CANCELLED: "Se sustituyó por otro compromiso (demo)."}.get(status,
                                                                                        ""))
        if progress is None:  # progress derived from milestones
            n = 4
            done = {C.COMPLETED: 4, C.IN_PROGRESS: 1 + i % 3, C.DELAYED: 1}.get(status, 0)
            for m in range(n):
                Milestone.objects.create(
                    commitment=commitment, title=f"Hito {m + 1} (demo)",
                    due_date=today + dt.timedelta(days=due - 30 * (n - 1 - m)),
                    done=m < done,
                    done_on=(today - dt.timedelta(days=40 - 5 * m)) if m < done else None,
                    evidence_url=f"https://example.org/evidencia/{commitment.pk}/{m + 1}"
                    if m < done else "")
            progress = round(100 * done / n)
        commitment.progress = progress
        commitment.save(update_fields=["progress"])
        ChangeRecord.objects.create(
            content_type=ContentType.objects.get_for_model(Commitment), object_id=commitment.pk,
            actor_role="system", action="created",
            changes={"status": [None, status], "progress": [None, progress]}, note=FICTITIOUS)

    for key, name, table in [("demo-6-tablero-movilidad", "Tablero de movilidad peatonal (demo)",
                              tables[0]),
                             ("demo-6-red-agua", "Red ciudadana de reporte de fugas (demo)",
                              tables[1])]:
        initiative, _ = Initiative.objects.update_or_create(
            key=key, defaults={"name": name, "encounter": encounter,
                               "status": Initiative.Status.ONGOING, "description": FICTITIOUS,
                               "order": 100})
        initiative.tables.set([table])
        initiative.proposals.set(table.proposals.all())
