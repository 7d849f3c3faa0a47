"""Permission walk: every URL of the project (site, django-ninja API, Django admin) × every role.

The URLs come from ``django.urls.get_resolver()``, walked recursively; path converters are filled
from a fixture world (two encounters A and B with different organizers, registrations, a seating
plan, proposals, data requests, datasets, agreements, commitments, tables, surveys, an openness
instrument and assessments, organizations, a public and a private person…). ``KWARGS`` says what
each URL keyword means; a keyword it does not know fails the walk, and so does a URL missing from
``ACCESS`` (the declared access of every view): a new URL cannot escape.

Roles: anonymous, participant (registered in A), another participant of A, organizer of B (no
rights on A), admin (superuser). Every request runs inside a savepoint that is rolled back, so
each one sees the same world and POSTs cannot disturb the rest of the walk.

Checks, for every URL × role:
- never a 5xx;
- GET: roles in ``Access.get`` are allowed (2xx, or a redirect that is not to a login page);
  everyone else never gets a 2xx; organizer-only pages (``sensitive``) give the others exactly a
  login redirect, 403 or 404, and give the admin a 2xx;
- POST (views that take POST, with an empty or minimal form): roles outside ``Access.post``
  change nothing in the database (no INSERT/UPDATE/DELETE besides the session);
- personal data (emails, phones, private names, badge codes, accessibility needs, open survey
  answers) never appears in a response to a role that may not see it;
- what the admin may read (every canary above) and what the participant may read (their own
  data) does show up somewhere in their walk, so the leak check cannot pass vacuously;
- clients that enforce CSRF (anonymous, participant, admin): every POST without a token to a view
  that takes POST is a 403 and changes nothing.

PDFs are not rendered: weasyprint.HTML is replaced by a stand-in that returns the HTML it was
given, which is what the leak check reads (rendering is tested by each app).

The counts per role × outcome are printed (``pytest -s``) and written to var/permission_walk.txt;
``PW_SLOW=20`` also prints the 20 slowest requests.
"""

import collections
import dataclasses
import datetime as dt
import inspect
import io
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

ANON, PART, OTHER, ORG_B, ADMIN = ("anonymous", "participant", "other participant",
                                   "organizer of B", "admin")
ROLES = (ANON, PART, OTHER, ORG_B, ADMIN)

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANON}
REGISTERED_A = frozenset({PART, OTHER})
ORGANIZER_A = frozenset({ADMIN})  # organizers of A (not among the walking roles) and admins
ORGANIZER_B = frozenset({ORG_B, ADMIN})
ANY_ORGANIZER = frozenset({ORG_B, ADMIN})  # anyone who organizes some encounter, and admins
STAFF = frozenset({ADMIN})
NOBODY = frozenset()

OUTCOMES = ("allowed", "redirect", "login", "forbidden", "not found", "method not allowed",
            "other 4xx", "server error")
REPORT = Path(getattr(settings, "VAR_DIR", "var")) / "permission_walk.txt"


@dataclasses.dataclass(frozen=True)
class Access:
    """Who may use a view. ``get``: roles for whom a GET must succeed; every other role must not
    get a 2xx. ``post``: roles allowed to change state with a POST (None: the view takes no
    POST). ``sensitive``: an organizer-only page; roles outside ``get`` get exactly a login
    redirect, 403 or 404, and the admin a 2xx."""

    get: frozenset
    post: frozenset | None = None
    sensitive: bool = False
    data: Callable | None = None  # (world, side) -> the minimal POST form


def public(post=None, data=None):
    return Access(EVERYONE, post, data=data)


def logged_in(post=None, data=None):
    return Access(LOGGED_IN, post, data=data)


def organizer(post=ORGANIZER_A, *, get=ORGANIZER_A, data=None):
    """Organizer-only page of an encounter (A unless the target says B)."""
    return Access(get, post, sensitive=True, data=data)


def post_only(post, *, sensitive=False, data=None):
    return Access(NOBODY, post, sensitive=sensitive, data=data)


# ------------------------------------------------------------------------------------------------
# The declared access of every named URL (derived from reading the views). Admin URLs follow the
# rules in admin_access() below.

ACCESS: dict[str, Access] = {
    # core
    "core:home": public(),
    "core:signup": public(post=EVERYONE),
    "core:account": logged_in(),
    "core:my_data": logged_in(),
    "core:edit_profile": logged_in(post=LOGGED_IN),
    "core:withdraw_public_profile": logged_in(post=LOGGED_IN),
    "core:erase_account": logged_in(post=LOGGED_IN),
    "core:task": Access(frozenset({PART, ADMIN})),  # the participant's task; staff
    "core:healthz": public(),
    # encounters
    "encounters:list": public(),
    "encounters:create": Access(STAFF, STAFF, sensitive=True),  # can_create_encounters
    "encounters:detail": public(),
    "encounters:edit": organizer(),
    "encounters:agenda_ics": public(),
    "encounters:attendance_svg": public(),
    "encounters:register": public(post=EVERYONE),
    # each registered person's own registration (the secrets check keeps them apart)
    "encounters:my_registration": Access(REGISTERED_A),
    "encounters:cancel_my_registration": post_only(REGISTERED_A),
    "encounters:agenda_manage": organizer(),
    "encounters:agenda_item_edit": organizer(),
    "encounters:agenda_item_delete": organizer(get=NOBODY),
    "encounters:registrations": organizer(),
    "encounters:registrations_export": organizer(post=None),
    "encounters:registration_cancel": organizer(get=NOBODY),
    "encounters:badges_pdf": organizer(post=None),
    "encounters:checkin": organizer(data=lambda w, s: {"code": s.registration.badge_token}),
    # The badge QR: anyone sees a hint; only organizers check people in (POST).
    "encounters:checkin_code": public(post=ORGANIZER_A),
    "encounters:seating_list": organizer(data=lambda w, s: {
        "table_size": "2", "rounds": "1", "source": "registered", "title": "Otra"}),
    "encounters:seating_detail": organizer(),
    "encounters:seating_reoptimise": organizer(get=NOBODY, data=lambda w, s: {
        "rounds_held": "0"}),
    "encounters:seating_unlock": organizer(get=NOBODY),
    "encounters:seating_delete": organizer(get=NOBODY),
    "encounters:seating_pdf": organizer(post=None),
    "encounters:seating_cards": organizer(post=None),
    # ecosystem
    "ecosystem:atlas": public(),
    "ecosystem:atlas_nodes_csv": public(),
    "ecosystem:atlas_edges_csv": public(),
    "ecosystem:organizations": public(),
    "ecosystem:organization": public(),
    "ecosystem:people": public(),
    # opendata
    "opendata:catalog": public(),
    "opendata:catalog_import": Access(STAFF, STAFF, sensitive=True),  # opendata.add_dataset
    "opendata:dataset": public(),
    "opendata:requests": public(),
    "opendata:request_create": logged_in(post=LOGGED_IN),
    # Anyone reads a request; its managers (organizers of its encounter, the agency) change it.
    "opendata:request": public(post=ORGANIZER_A, data=lambda w, s: {
        "status": "published", "reason": "Publicado", "response": "Ya está"}),
    "opendata:request_vote": post_only(LOGGED_IN),
    "opendata:request_comment": post_only(LOGGED_IN, data=lambda w, s: {"body": "Comentario"}),
    "opendata:demand": public(),
    "opendata:demand_csv": public(),
    "opendata:matchmaking": public(post=ORGANIZER_A, data=lambda w, s: {"action": "run"}),
    "opendata:open_data": public(),
    "opendata:datapackage": public(),
    "opendata:dcat": public(),
    "opendata:open_data_zip": public(),
    "opendata:open_data_file": public(),
    # openness
    "openness:index": public(),
    "openness:instrument": public(),
    "openness:results": public(),
    "openness:quality": public(),
    "openness:yaml": public(),
    "openness:xlsform": public(),
    "openness:scores_csv": public(),
    "openness:scores_json": public(),
    "openness:import": Access(STAFF, STAFF, sensitive=True),
    "openness:organization": public(),
    # Staff, admins and organizers of any encounter enter assessments of any organization;
    # members of an organization only its self-assessment.
    "openness:start": Access(ANY_ORGANIZER, ANY_ORGANIZER),
    "openness:assessment": public(post=NOBODY),  # a submitted assessment: read-only
    # collaboration
    "collaboration:index": public(),
    "collaboration:dashboard": public(),
    "collaboration:encounter": public(),
    "collaboration:proposals": public(),
    "collaboration:proposal_create": logged_in(post=LOGGED_IN),
    "collaboration:proposal": public(),
    "collaboration:proposal_edit": Access(frozenset({PART, ADMIN}), frozenset({PART, ADMIN})),
    "collaboration:proposal_transition": post_only(ORGANIZER_A, data=lambda w, s: {
        "to": "selected"}),
    "collaboration:proposal_support": post_only(LOGGED_IN),
    "collaboration:proposal_review": post_only(ORGANIZER_A, data=lambda w, s: {
        "impact": "4", "feasibility": "4", "data": "4", "collaboration": "4"}),
    "collaboration:tables": public(),
    "collaboration:table": public(),
    "collaboration:agreements": public(),
    "collaboration:agreement": public(),
    "collaboration:commitments": public(),
    "collaboration:commitment": public(),
    "collaboration:commitment_update": post_only(ORGANIZER_A, data=lambda w, s: {
        "status": "in_progress", "progress": "40", "reason": "Avance"}),
    "collaboration:milestone_done": post_only(ORGANIZER_A),
    "collaboration:manage_new": organizer(data=lambda w, s: {"name": "Mesa nueva"}),
    "collaboration:table_add_member": post_only(ORGANIZER_A, data=lambda w, s: {
        "role": "other", "organization": str(w.agency.pk)}),
    "collaboration:table_link_proposal": post_only(ORGANIZER_A, data=lambda w, s: {
        "proposal": str(w.proposal_selected.pk)}),
    "collaboration:commitment_add_milestone": post_only(ORGANIZER_A, data=lambda w, s: {
        "title": "Hito nuevo"}),
    "collaboration:initiatives": public(),
    "collaboration:history": public(),
    "collaboration:follow": post_only(LOGGED_IN),
    # evaluation
    "evaluation:report": public(),
    "evaluation:report_pdf": public(),
    "evaluation:results": public(),
    "evaluation:manage": organizer(get=NOBODY, data=lambda w, s: {
        "action": "close", "moment": "pre"}),
    "evaluation:answer": Access(REGISTERED_A, REGISTERED_A),
    "evaluation:open_answers": organizer(post=None),
    "evaluation:import_answers": organizer(),
    # django.contrib.auth and i18n
    "login": public(post=EVERYONE),
    "logout": post_only(EVERYONE),
    "password_change": logged_in(post=LOGGED_IN),
    "password_change_done": logged_in(),
    "password_reset": public(post=EVERYONE),
    "password_reset_done": public(),
    "password_reset_confirm": public(post=EVERYONE),  # an invalid link: a page saying so
    "password_reset_complete": public(),
    "set_language": public(post=EVERYONE),
    "javascript-catalog": public(),
    "sitemap": public(),
    # The API (django-ninja): public, read-only
    "api-v1:openapi-json": public(),
    "api-v1:openapi-view": public(),
    "api-v1:api-root": Access(NOBODY),  # ninja answers 404 at its root
    "api-v1:list_encounters": public(),
    "api-v1:get_encounter": public(),
    "api-v1:seating_plans": public(),
    "api-v1:datasets": public(),
    "api-v1:data_requests": public(),
    "api-v1:demand_summary": public(),
    "api-v1:instruments": public(),
    "api-v1:scores": public(),
    "api-v1:organization_openness": public(),
    "api-v1:list_proposals": public(),
    "api-v1:get_proposal": public(),
    "api-v1:list_tables": public(),
    "api-v1:get_table": public(),
    "api-v1:list_agreements": public(),
    "api-v1:get_agreement": public(),
    "api-v1:list_commitments": public(),
    "api-v1:get_commitment": public(),
    "api-v1:list_initiatives": public(),
    "api-v1:get_history": public(),
    "api-v1:list_organizations": public(),
    "api-v1:atlas_graph": public(),
    "api-v1:atlas_metrics": public(),
    "api-v1:atlas_gexf": public(),
    "api-v1:atlas_graphml": public(),
    "api-v1:atlas_geojson": public(),
    "api-v1:survey_results": public(),
    # media files (only when DEBUG was on at start-up): nothing is served for a missing file
    "media": Access(NOBODY),
}
OPTIONAL = {"media"}  # URLs that exist only in some configurations

def admin_access(key: str, callback, w) -> Access | None:
    """Django admin: staff only (our admin), as far as each ModelAdmin allows it (some models
    are append-only or read-only even for a superuser); its login and logout are public."""
    if not key.startswith("admin:"):
        return None
    if key == "admin:login":
        return public(post=EVERYONE)
    if key == "admin:logout":
        return post_only(EVERYONE)
    if key == "admin:catch_all":  # an unknown admin address: login first, then 404
        return Access(NOBODY)
    view = getattr(callback, "__name__", "")
    if view in ("index", "app_index", "i18n_javascript", "autocomplete_view", "shortcut",
                "password_change_done"):
        return Access(STAFF)
    if view == "password_change":
        return Access(STAFF, STAFF)
    model = apps.get_model(*_admin_model_key(key).split(":", 1)[1].split("/"))
    model_admin = django_admin.site._registry[model]
    request = SimpleNamespace(user=w.admin, method="GET", GET={}, POST={})
    obj = model._default_manager.order_by("pk").first()
    can = {"add_view": model_admin.has_add_permission(request),
           "delete_view": model_admin.has_delete_permission(request, obj),
           "change": model_admin.has_change_permission(request, obj),
           "view": model_admin.has_view_or_change_permission(request, obj)}
    if view == "changelist_view":  # POST runs actions
        return Access(STAFF if can["view"] else NOBODY, STAFF if can["change"] else NOBODY)
    if view in ("add_view", "delete_view"):
        return Access(STAFF if can[view] else NOBODY, STAFF if can[view] else NOBODY)
    if view in ("change_view", "user_change_password"):
        return Access(STAFF if can["view"] else NOBODY, STAFF if can["change"] else NOBODY)
    if view in ("history_view", "view"):  # "view": the redirect of <object_id>/ to change/
        return Access(STAFF if can["view"] else NOBODY)
    raise LookupError(f"{key}: an admin view ({view}) the walk does not know")


# ------------------------------------------------------------------------------------------------
# What each URL keyword means. Keyed by keyword, then by URL key ("*": any URL). A keyword or a
# URL this table does not know fails the walk.

def _admin_object(w, s, key):
    app_label, model_name = key.split(":", 1)[1].split("/")[:2]
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the world needs one {model.__name__} for the admin pages"
    return obj.pk


KWARGS: dict[str, dict[str, Callable]] = {
    "number": {"*": lambda w, s: s.encounter.number},
    "encounter_id": {"*": lambda w, s: s.encounter.pk},
    "item_id": {"*": lambda w, s: s.agenda_item.pk},
    "registration_id": {"*": lambda w, s: s.registration.pk},
    "plan_id": {"*": lambda w, s: s.plan.pk},
    "moment": {"*": lambda w, s: "post"},
    "token": {"encounters:checkin_code": lambda w, s: s.registration.badge_token,
              "password_reset_confirm": lambda w, s: "set-password"},
    "uidb64": {"password_reset_confirm":
               lambda w, s: urlsafe_base64_encode(force_bytes(w.participant.pk))},
    "task_id": {"core:task": lambda w, s: w.task.pk},
    "pk": {
        "opendata:dataset": lambda w, s: w.dataset.pk,
        "opendata:request": lambda w, s: w.data_request.pk,
        "opendata:request_vote": lambda w, s: w.data_request.pk,
        "opendata:request_comment": lambda w, s: w.data_request.pk,
        "openness:assessment": lambda w, s: w.assessment.pk,
        "collaboration:proposal": lambda w, s: w.proposal.pk,
        "collaboration:proposal_edit": lambda w, s: w.proposal_draft.pk,
        "collaboration:proposal_transition": lambda w, s: w.proposal.pk,
        "collaboration:proposal_support": lambda w, s: w.proposal.pk,
        "collaboration:proposal_review": lambda w, s: w.proposal.pk,
        "collaboration:table": lambda w, s: w.table.pk,
        "collaboration:table_add_member": lambda w, s: w.table.pk,
        "collaboration:table_link_proposal": lambda w, s: w.table.pk,
        "collaboration:agreement": lambda w, s: w.agreement.pk,
        "collaboration:commitment": lambda w, s: w.commitment.pk,
        "collaboration:commitment_update": lambda w, s: w.commitment.pk,
        "collaboration:commitment_add_milestone": lambda w, s: w.commitment.pk,
        "collaboration:milestone_done": lambda w, s: w.milestone.pk,
        "collaboration:history": lambda w, s: w.proposal.pk,
        "collaboration:follow": lambda w, s: w.proposal.pk,
    },
    "kind": {"collaboration:manage_new": lambda w, s: "table",
             "collaboration:history": lambda w, s: "proposal",
             "collaboration:follow": lambda w, s: "proposal",
             "api-v1:get_history": lambda w, s: "proposal"},
    "slug": {
        "ecosystem:organization": lambda w, s: w.agency.slug,
        "openness:organization": lambda w, s: w.agency.slug,
        "openness:start": lambda w, s: w.agency.slug,
        **{f"openness:{n}": (lambda w, s: w.instrument.slug)
           for n in ("instrument", "results", "quality", "yaml", "xlsform", "scores_csv",
                     "scores_json", "import")},
    },
    "name": {"opendata:open_data_file": lambda w, s: "encounters"},
    "fmt": {"opendata:open_data_file": lambda w, s: "csv"},
    "organization_id": {"*": lambda w, s: w.agency.pk},
    "proposal_id": {"*": lambda w, s: w.proposal.pk},
    "table_id": {"*": lambda w, s: w.table.pk},
    "agreement_id": {"*": lambda w, s: w.agreement.pk},
    "commitment_id": {"*": lambda w, s: w.commitment.pk},
    "object_id": {"api-v1:get_history": lambda w, s: w.proposal.pk,
                  "admin:view_on_site": lambda w, s: s.encounter.pk},
    "content_type_id": {"admin:view_on_site":
                        lambda w, s: ContentType.objects.get_for_model(type(s.encounter)).pk},
    "id": {"admin:auth_user_password_change": lambda w, s: w.participant.pk},
    "app_label": {"admin:app_list": lambda w, s: "encounters"},
    "url": {"admin:catch_all": lambda w, s: "pw-no-such-page/"},
    "path": {"media": lambda w, s: "agreements/pw-no-such-file.pdf"},
}


@dataclasses.dataclass(frozen=True)
class Variant:
    label: str
    kwargs: dict = dataclasses.field(default_factory=dict)  # keyword -> (world, side) -> value
    query: str = ""
    access: Access | None = None  # None: the URL's own


def _with(access, **changes):
    return dataclasses.replace(access, **changes)


# More addresses for the same view: other objects, query strings, an unpublished encounter.
UNPUBLISHED = {"number": lambda w, s: w.hidden.number}
VARIANTS: dict[str, list[Variant]] = {
    "ecosystem:atlas": [Variant("people", query="level=person")],
    "ecosystem:atlas_nodes_csv": [Variant("people", query="level=person")],
    "ecosystem:atlas_edges_csv": [Variant("people", query="level=person")],
    "ecosystem:people": [Variant("search", query="q=a")],
    "api-v1:atlas_graph": [Variant("people", query="level=person")],
    "api-v1:atlas_metrics": [Variant("people", query="level=person")],
    "api-v1:atlas_gexf": [Variant("people", query="level=person")],
    "api-v1:atlas_graphml": [Variant("people", query="level=person")],
    "encounters:registrations_export": [Variant("xlsx", query="format=xlsx")],
    "encounters:detail": [Variant("unpublished", UNPUBLISHED, access=Access(STAFF))],
    "encounters:agenda_ics": [Variant("unpublished", UNPUBLISHED, access=Access(STAFF))],
    # no attendance yet: 404 for everyone, the admin included
    "encounters:attendance_svg": [Variant("unpublished", UNPUBLISHED, access=Access(NOBODY))],
    "encounters:register": [Variant("unpublished", UNPUBLISHED, access=Access(STAFF, STAFF))],
    "opendata:matchmaking": [Variant("unpublished", UNPUBLISHED,
                                     access=Access(STAFF, ORGANIZER_A))],
    "collaboration:encounter": [Variant("unpublished", UNPUBLISHED, access=Access(NOBODY))],
    "evaluation:results": [Variant("unpublished", UNPUBLISHED, access=Access(NOBODY))],
    "evaluation:report": [Variant("unpublished", UNPUBLISHED, access=Access(NOBODY))],
    "api-v1:get_encounter": [Variant("unpublished", {"encounter_id": lambda w, s: w.hidden.pk},
                                     access=Access(NOBODY))],
    "api-v1:survey_results": [Variant("unpublished", {"encounter_id": lambda w, s: w.hidden.pk},
                                      access=Access(NOBODY))],
    "evaluation:answer": [Variant("pre", {"moment": lambda w, s: "pre"})],
    "evaluation:open_answers": [Variant("pre", {"moment": lambda w, s: "pre"})],
    "collaboration:manage_new": [Variant(k, {"kind": lambda w, s, k=k: k})
                                 for k in ("agreement", "commitment")],
    "collaboration:proposal": [Variant("draft", {"pk": lambda w, s: w.proposal_draft.pk},
                                       access=Access(frozenset({PART, ADMIN})))],
    "collaboration:proposal_edit": [Variant("public", {"pk": lambda w, s: w.proposal.pk},
                                            access=Access(STAFF, STAFF))],
    "collaboration:history": [
        *[Variant(k, {"kind": lambda w, s, k=k: k, "pk": lambda w, s, k=k: getattr(w, k).pk})
          for k in ("table", "agreement", "commitment", "initiative")],
        Variant("draft", {"pk": lambda w, s: w.proposal_draft.pk},
                access=Access(frozenset({PART, ADMIN}))),
    ],
    "collaboration:follow": [
        *[Variant(k, {"kind": lambda w, s, k=k: k, "pk": lambda w, s, k=k: getattr(w, k).pk})
          for k in ("table", "agreement", "commitment", "initiative")],
        # Following a draft would mail its changes to whoever follows it: only who may see it.
        Variant("draft", {"pk": lambda w, s: w.proposal_draft.pk},
                access=post_only(frozenset({PART, ADMIN}))),
    ],
    "collaboration:proposal_support": [
        Variant("draft", {"pk": lambda w, s: w.proposal_draft.pk}, access=post_only(NOBODY))],
    "api-v1:get_history": [
        *[Variant(k, {"kind": lambda w, s, k=k: k,
                      "object_id": lambda w, s, k=k: getattr(w, k).pk})
          for k in ("table", "agreement", "commitment", "initiative")],
        Variant("draft", {"object_id": lambda w, s: w.proposal_draft.pk},
                access=Access(STAFF)),
    ],
    "api-v1:get_proposal": [Variant("draft", {"proposal_id": lambda w, s: w.proposal_draft.pk},
                                    access=Access(NOBODY))],
    "openness:assessment": [Variant("draft", {"pk": lambda w, s: w.assessment_draft.pk},
                                    access=Access(ANY_ORGANIZER, ANY_ORGANIZER))],
}


# Query strings every request of a URL carries.
QUERY = {"api-v1:scores": lambda w: f"instrument={w.instrument.slug}",
         "admin:autocomplete": lambda w: "app_label=encounters&model_name=agendaitem"
                                         "&field_name=speakers"}


def dynamic_variants(key) -> list[Variant]:
    """Every file of the platform's open data, in every format (none may hold personal data)."""
    if key != "opendata:open_data_file":
        return []
    from encuentros.opendata import publication

    return [Variant(f"{r.name}.{fmt}", {"name": lambda w, s, n=r.name: n,
                                        "fmt": lambda w, s, f=fmt: f})
            for r in publication.resources() for fmt in publication.FORMATS]


# ------------------------------------------------------------------------------------------------
# The fixture world

PASSWORD = "s3cret-pass-123"
CANARY = SimpleNamespace(
    participant_email="pw.quimera.participante@example.net",
    participant_name="Quimera Participante Ejemplar",
    participant_phone="+52 55 1111 2323",
    participant_needs="rampa-pw-canary",
    participant_answer="respuesta-abierta-pw-canary",
    other_email="pw.otrora.asistente@example.net",
    other_name="Otrora Asistente Segunda",
    private_email="pw.zacarias.privadisimo@example.net",
    private_name="Zacarias Privadisimo",
    private_phone="+52 55 9876 5432",
    private_needs="interprete-pw-canary",
    public_name="Paloma Publica Ponente",
    public_email="pw.paloma.publica@example.net",
    public_phone="+52 55 4444 5656",
    b_email="pw.bartolo.b@example.net",
    b_name="Bartolo Bernal Berrueco",
)

INSTRUMENT = """
slug: pw-instrumento
version: "1"
title: Instrumento de la caminata
sectors: [government, civil_society, academia, private]
maturity_threshold: 0.6
aggregation: {component: arithmetic, pillar: arithmetic, overall: arithmetic}
scales:
  yes_no:
    options:
      - {value: "si", label: "Sí", score: 1}
      - {value: "no", label: "No", score: 0}
pillars:
  - key: transparency
    title: Transparencia
    weight: 1
    components:
      - key: t_a
        title: A
        indicators:
          - {key: t1, text: Uno, level: 1, scale: yes_no}
          - {key: t2, text: Dos, level: 2, scale: yes_no}
"""


def build_world():
    from encuentros.collaboration import services as collab
    from encuentros.collaboration.models import (
        Challenge,
        Initiative,
        Proposal,
        TableSession,
    )
    from encuentros.core.sectors import Sector
    from encuentros.ecosystem.models import Organization, Topic
    from encuentros.encounters import seating
    from encuentros.encounters import services as enc
    from encuentros.encounters.models import AgendaItem, Encounter, ReportedAttendance, Venue
    from encuentros.evaluation import services as evaluation
    from encuentros.opendata import services as opendata
    from encuentros.opendata.models import Comment, Dataset
    from encuentros.openness import services as openness
    from encuentros.openness.models import Assessment

    User = get_user_model()
    w = SimpleNamespace()
    today = timezone.localdate()
    w.participant = User.objects.create_user("pw-participant", CANARY.participant_email,
                                             PASSWORD)
    w.other = User.objects.create_user("pw-other", CANARY.other_email, PASSWORD)
    w.organizer_a = User.objects.create_user("pw-org-a", "pw.org.a@example.net", PASSWORD)
    w.organizer_b = User.objects.create_user("pw-org-b", "pw.org.b@example.net", PASSWORD)
    w.admin = User.objects.create_superuser("pw-admin", "pw.admin@example.net", PASSWORD)
    Group.objects.create(name="Organizadores")

    venue = Venue.objects.create(name="Sede de la caminata")
    w.topic = Topic.objects.create(name="Movilidad")

    def encounter(number, organizer_user, published=True):
        e = Encounter.objects.create(
            number=number, title=f"Encuentro {number}", theme="Permisos", objective="Objetivo",
            start_date=today + dt.timedelta(days=10), end_date=today + dt.timedelta(days=10),
            venue=venue, capacity=50, registration_open=True, is_published=published)
        e.organizers.add(organizer_user)
        return e

    A, B = encounter(71, w.organizer_a), encounter(72, w.organizer_b)
    w.hidden = encounter(73, w.organizer_a, published=False)
    ReportedAttendance.objects.create(encounter=A, sector=Sector.GOVERNMENT, people=3)

    w.agency = Organization.objects.create(name="Secretaría de Movilidad PW", acronym="SEMOVIPW",
                                           sector=Sector.GOVERNMENT, kind="agency")
    w.other_agency = Organization.objects.create(name="Agencia Digital PW",
                                                 sector=Sector.GOVERNMENT)

    def register(e, full_name, email, *, user=None, public=False, phone="", needs="",
                 org="Colectivo Caminable PW", sector=Sector.CIVIL_SOCIETY):
        return enc.register(e, enc.RegistrationData(
            full_name=full_name, email=email, sector=sector, organization_name=org,
            topics=(w.topic,), public_profile=public, accessibility_needs=needs, phone=phone),
            user=user, source="web" if user else "import")

    reg_p = register(A, CANARY.participant_name, CANARY.participant_email, user=w.participant,
                     phone=CANARY.participant_phone, needs=CANARY.participant_needs)
    reg_o = register(A, CANARY.other_name, CANARY.other_email, user=w.other)
    reg_priv = register(A, CANARY.private_name, CANARY.private_email,
                        phone=CANARY.private_phone, needs=CANARY.private_needs,
                        sector=Sector.ACADEMIA, org="Universidad PW")
    reg_pub = register(A, CANARY.public_name, CANARY.public_email, public=True,
                       phone=CANARY.public_phone, sector=Sector.GOVERNMENT,
                       org=w.agency.name)
    reg_b = register(B, CANARY.b_name, CANARY.b_email, sector=Sector.PRIVATE, org="Empresa PW")
    register(B, "Berta Bedolla Bautista", "pw.berta.b@example.net")
    for r in (reg_p, reg_o, reg_priv, reg_pub):
        enc.check_in(A, r.badge_token, by=w.organizer_a)
    w.private_person = reg_priv.person
    w.public_person = reg_pub.person
    w.participant.refresh_from_db()

    def agenda(e, *speakers):
        item = AgendaItem.objects.create(
            encounter=e, kind="table_dynamic", title=f"Mesas {e.number}",
            starts_at=timezone.now() + dt.timedelta(days=10))
        item.speakers.add(*speakers)
        return item

    side_a = SimpleNamespace(encounter=A, registration=reg_p,
                             agenda_item=agenda(A, w.private_person, w.public_person))
    side_b = SimpleNamespace(encounter=B, registration=reg_b,
                             agenda_item=agenda(B, w.public_person))
    for side in (side_a, side_b):
        side.plan = seating.generate(side.encounter, table_size=2, rounds=1,
                                     source="registered", title="Plan", seconds=0.2)

    # surveys: the participant answers both, with an open answer only organizers may read
    for e in (A, B):
        evaluation.create_standard_surveys(e)
        e.surveys.update(is_open=True)
    for survey in A.surveys.all():
        data = {q.key: (3 if q.kind == "likert" else CANARY.participant_answer)
                for q in survey.questions.all()}
        evaluation.submit(survey, reg_p, data)

    # collaboration
    challenge = Challenge.objects.create(title="Cruces seguros", encounter=A)
    challenge.agencies.add(w.agency)
    w.proposal = collab.create_proposal(w.participant, title="Mapa de cruces",
                                        summary="Un mapa abierto", challenge=challenge,
                                        encounter=A)
    collab.transition(w.proposal, "submitted", w.participant)
    collab.transition(w.proposal, "under_review", w.organizer_a)
    collab.review(w.proposal, w.organizer_a, {"impact": 3, "feasibility": 3, "data": 3,
                                              "collaboration": 3})
    collab.support(w.proposal, w.other)
    w.proposal_draft = collab.create_proposal(w.participant, title="Borrador secreto",
                                              summary="Aún no", encounter=A)
    w.proposal_selected = collab.create_proposal(w.other, title="Semáforos", summary="Datos",
                                                 encounter=A)
    for to, who in (("submitted", w.other), ("under_review", w.organizer_a),
                    ("selected", w.organizer_a)):
        collab.transition(w.proposal_selected, to, who)
    assert w.proposal_draft.status == Proposal.Status.DRAFT
    w.table = collab.create_table(w.organizer_a, name="Mesa de movilidad", encounter=A,
                                  challenge=challenge)
    collab.add_member(w.table, w.organizer_a, role="citizen", person=reg_p.person)
    collab.add_member(w.table, w.organizer_a, role="academia", person=w.private_person)
    collab.add_member(w.table, w.organizer_a, role="data_holder", organization=w.agency)
    TableSession.objects.create(table=w.table, date=today, title="Primera sesión")
    w.agreement = collab.save_agreement(w.organizer_a, kind="letter_of_intent",
                                        title="Carta de intención", encounter=A,
                                        signatories=[w.agency])
    w.commitment = collab.create_commitment(w.organizer_a, title="Publicar cruces",
                                            agreement=w.agreement, responsible=w.agency,
                                            due_date=today + dt.timedelta(days=30))
    w.milestone = collab.add_milestone(w.commitment, w.organizer_a, title="Primer hito")
    w.initiative = Initiative.objects.create(name="Mapatón PW", key="mapaton-pw", encounter=A)
    w.initiative.proposals.add(w.proposal)
    collab.follow(w.participant, w.table)

    # open data
    w.dataset = Dataset.objects.create(title="Cruces viales", publisher=w.agency,
                                       identifier="pw-cruces", formats=["CSV"])
    w.dataset.themes.add(w.topic)
    w.data_request = opendata.create_request(
        w.participant, title="Datos de cruces", problem="Accidentes en cruces",
        topic=w.topic, agency=w.agency, encounter=A)
    Comment.objects.create(request=w.data_request, author=w.participant, body="Me urge")
    opendata.run_matchmaking(A)
    opendata.change_status(w.data_request, w.organizer_a, "in_progress")

    # openness: a submitted assessment and a draft
    w.instrument = openness.load_instrument(INSTRUMENT)[0]
    w.assessment = openness.start_assessment(
        instrument=w.instrument, organization=w.agency, perspective=Assessment.Perspective.SELF,
        period="2025", user=w.admin)[0]
    openness.save_answers(w.assessment, {"t1": ("si", ""), "t2": ("no", "")}, submit=True)
    w.assessment_draft = openness.start_assessment(
        instrument=w.instrument, organization=w.other_agency,
        perspective=Assessment.Perspective.SELF, period="2025", user=w.admin)[0]
    openness.save_answers(w.assessment_draft, {"t1": ("si", "")})

    # a background task started by the participant
    try:
        TaskRecord = apps.get_model("core", "TaskRecord")
    except LookupError:
        w.task = None
    else:
        w.task = TaskRecord.objects.create(id="pwtask0001", task_path="x.y", label="Importar",
                                           owner=w.participant)

    w.A, w.B = side_a, side_b
    return w


# ------------------------------------------------------------------------------------------------
# Walking the resolver

@dataclasses.dataclass
class Target:
    key: str  # URL name ("app:name") or a stand-in for unnamed admin/media patterns
    url: str
    access: Access
    label: str = ""  # variant
    callback: Callable | None = None

    @property
    def name(self):
        return f"{self.key}[{self.label}]" if self.label else self.key


_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _patterns(resolver=None, parts=(), namespace=()):
    """(pattern objects from the root, the URLPattern, namespace) for every leaf."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace + ((p.namespace,) if p.namespace else ())
            yield from _patterns(p, parts + (p.pattern,), ns)
        elif isinstance(p, URLPattern):
            yield parts + (p.pattern,), p, namespace


def _keywords(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return [m["name"] for m in _CONVERTER.finditer(str(pattern))]
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _fill(pattern, values: dict) -> str:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return _CONVERTER.sub(lambda m: str(values[m["name"]]), text)
    text = text.removeprefix("^").removesuffix("$").replace("\\", "")
    return _GROUP.sub(lambda m: str(values[m["name"]]), text)


def _key(pattern_parts, p: URLPattern, namespace) -> str:
    if p.name:
        return ":".join(namespace + (p.name,))
    route = "".join(str(x) for x in pattern_parts)
    if route.startswith("admin/"):
        if "(?P<url>" in route:
            return "admin:catch_all"
        # admin/<app>/<model>/<path:object_id>/ redirects to the change page
        return "admin:" + "/".join(route.split("/")[1:3]) + "/redirect"
    if "media" in route:
        return "media"
    return route


def _value(keyword, key, w, side, overrides):
    if keyword in overrides:
        return overrides[keyword](w, side)
    table = KWARGS.get(keyword, {})
    for candidate in (key, "*"):
        if candidate in table:
            return table[candidate](w, side)
    if keyword == "object_id" and key.startswith("admin:"):
        return _admin_object(w, side, _admin_model_key(key))
    raise LookupError(f"{key}: URL keyword {keyword!r} is not in KWARGS")


def _admin_model_key(key: str) -> str:
    """admin:<app>_<model>_<action> or admin:<app>/<model>/redirect → admin:<app>/<model>."""
    rest = key.split(":", 1)[1]
    if "/" in rest:
        return "admin:" + "/".join(rest.split("/")[:2])
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if rest.startswith(prefix):
            return f"admin:{model._meta.app_label}/{model._meta.model_name}"
    raise LookupError(f"{key}: no model for this admin URL")


def build_targets(w) -> tuple[list[Target], list[str]]:
    targets, problems, seen = [], [], set()
    for parts, p, namespace in _patterns():
        key = _key(parts, p, namespace)
        try:
            access = ACCESS.get(key) or admin_access(key, p.callback, w)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        if access is None:
            problems.append(f"{key}: no declared access (add it to ACCESS)")
            continue
        seen.add(key)
        keywords = [k for part in parts for k in _keywords(part)]
        sides = [("", w.A, access, {}, "")]
        if access.sensitive and "number" in keywords and key != "encounters:create":
            # the same organizer page of encounter B: its organizer may use it
            sides.append(("B", w.B, _with(access, get=ORGANIZER_B if access.get else NOBODY,
                                          post=ORGANIZER_B if access.post else None), {}, ""))
        for v in [*VARIANTS.get(key, ()), *dynamic_variants(key)]:
            sides.append((v.label, w.A, v.access or access, v.kwargs, v.query))
        for label, side, acc, overrides, query in sides:
            try:
                values = {k: _value(k, key, w, side, overrides) for k in keywords}
            except (LookupError, AssertionError) as exc:
                problems.append(str(exc))
                break
            url = "/" + "".join(_fill(part, values) for part in parts)
            if resolve(urlsplit(url).path).func is not p.callback:  # the values fit the URL
                problems.append(f"{key}: {url} resolves to another view")
            query = "&".join(q for q in (QUERY[key](w) if key in QUERY else "", query) if q)
            if query:
                url += "?" + query
            targets.append(Target(key, url, acc, label, p.callback))
    for key in set(ACCESS) - seen - OPTIONAL:
        problems.append(f"{key}: declared in ACCESS but no such URL")
    return targets, problems


# ------------------------------------------------------------------------------------------------
# Requests and outcomes

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def classify(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "allowed"
    if 300 <= code < 400:
        path = urlsplit(response.get("Location", "")).path
        return "login" if path in LOGIN_PATHS or path == reverse(settings.LOGIN_URL) \
            else "redirect"
    if code == 403:
        return "forbidden"
    if code == 404:
        return "not found"
    if code == 405:
        return "method not allowed"
    if code >= 500:
        return "server error"
    return "other 4xx"


def body_text(response) -> str:
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                content = b"\n".join(z.read(n) for n in z.namelist())
        except zipfile.BadZipFile:
            pass
    elif content.startswith(b"%PDF-walk"):
        pass
    elif content[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages).lower()
    return content.decode("utf-8", "replace").lower()


def secrets_for(role, w) -> dict[str, str]:
    """What each role must never read."""
    c = CANARY
    participant = {"participant's email": c.participant_email,
                   "participant's name": c.participant_name,
                   "participant's phone": c.participant_phone,
                   "participant's accessibility needs": c.participant_needs,
                   "participant's badge code": w.A.registration.badge_token,
                   "participant's open answer": c.participant_answer}
    other = {"other participant's email": c.other_email,
             "other participant's name": c.other_name}
    people_of_a = {"private person's email": c.private_email,
                   "private person's name": c.private_name,
                   "private person's phone": c.private_phone,
                   "private person's accessibility needs": c.private_needs,
                   "public person's email": c.public_email,
                   "public person's phone": c.public_phone}
    people_of_b = {"B attendee's email": c.b_email, "B attendee's name": c.b_name,
                   "B attendee's badge code": w.B.registration.badge_token}
    return {
        ANON: {**participant, **other, **people_of_a, **people_of_b},
        PART: {**other, **people_of_a, **people_of_b},
        OTHER: {**participant, **people_of_a, **people_of_b},
        ORG_B: {**participant, **other, **people_of_a},
        ADMIN: {},
    }[role]


def must_see(role, w) -> dict[str, str]:
    """Personal data a role does see somewhere: the admin everything, the participant their
    own."""
    if role == ADMIN:
        return secrets_for(ANON, w)
    if role == PART:
        return {k: v for k, v in secrets_for(OTHER, w).items() if k.startswith("participant's")}
    return {}


@dataclasses.dataclass
class Result:
    target: Target
    role: str
    method: str
    status: int
    outcome: str
    writes: list
    error: str = ""
    seconds: float = 0.0


class WriteSpy:
    """Collects the statements that change data (the session table aside), cheaply."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql) and "django_session" not in sql:
            self.writes.append(sql[:120])
        return execute(sql, params, many, context)


def send(client, method, url, data=None) -> tuple:
    """One request inside a savepoint that is rolled back; returns (response, writes)."""
    spy = WriteSpy()
    with connection.execute_wrapper(spy), transaction.atomic():
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data or {})
        transaction.set_rollback(True)
    return response, spy.writes


def client_for(role, w, *, csrf=False) -> Client:
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    user = {ANON: None, PART: w.participant, OTHER: w.other, ORG_B: w.organizer_b,
            ADMIN: w.admin}[role]
    if user is not None:
        client.force_login(user)
    return client


def takes_post_in_source(callback) -> bool:
    """A project view that reads request.POST or checks for POST (a cross-check of ACCESS)."""
    func = inspect.unwrap(callback)
    if not getattr(func, "__module__", "").startswith("encuentros."):
        return False
    try:
        return "POST" in inspect.getsource(func)
    except (OSError, TypeError):
        return False


def walk(role, w, targets) -> tuple[list[Result], list[str]]:
    client = client_for(role, w)
    session_key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    results, failures = [], []
    secrets = secrets_for(role, w)
    # Not a vacuous check: what a role may read must show up somewhere in its walk.
    expected = {label: v.lower() for label, v in must_see(role, w).items()}
    seen = set()
    for t in targets:
        methods = ["GET"] + (["POST"] if t.access.post is not None else [])
        for method in methods:
            if method == "POST" and role != ADMIN and area(t.url) == "Django admin" and \
                    results[-1].outcome == "login" and t.key != "admin:login":
                continue  # admin_view sent the GET to the login page; it does so for any method
            if method == "POST" and role == ADMIN and getattr(t.callback, "__name__", "") in (
                    "add_view", "changelist_view"):
                continue  # Django's own empty-form and no-action paths: time better spent
            data = t.access.data(w, w.B if t.label == "B" else w.A) \
                if method == "POST" and t.access.data else None
            started = time.perf_counter()
            response, writes = send(client, method, t.url, data)
            seconds = time.perf_counter() - started
            if session_key is not None:  # a POST to logout flushed the session: log back in
                client.cookies[settings.SESSION_COOKIE_NAME] = session_key.value
            outcome = classify(response)
            error = repr(getattr(response, "exc_info", None) and response.exc_info[1])
            results.append(Result(t, role, method, response.status_code, outcome, writes,
                                  error if outcome == "server error" else "", seconds))
            failures += check(t, role, method, response, outcome, writes, secrets)
            if expected.keys() - seen and outcome == "allowed":
                text = body_text(response)
                seen |= {label for label, v in expected.items() if v in text}
    failures += [f"{role}: never saw the {label} anywhere (the walk would not notice a leak)"
                 for label in sorted(expected.keys() - seen)]
    return results, failures


def check(t, role, method, response, outcome, writes, secrets) -> list[str]:
    where = f"{role} {method} {t.url} ({t.name})"
    out = []
    if outcome == "server error":
        out.append(f"{where}: {response.status_code} "
                   f"{getattr(response, 'exc_info', None) and response.exc_info[1]!r}")
        return out
    acc = t.access
    strict = {"login", "forbidden", "not found"} | ({"method not allowed"} if not acc.get
                                                   else set())
    if method == "GET":
        if role in acc.get and outcome not in ("allowed", "redirect"):
            out.append(f"{where}: declared allowed, got {response.status_code} ({outcome})")
        if role not in acc.get and outcome == "allowed":
            out.append(f"{where}: more open than declared: {response.status_code}")
        if acc.sensitive and role not in acc.get and outcome not in strict:
            out.append(f"{where}: organizer-only page answered {outcome}")
        if acc.sensitive and role == ADMIN and acc.get and outcome != "allowed":
            out.append(f"{where}: the admin must see it, got {response.status_code}")
        if role not in acc.get and writes:
            out.append(f"{where}: a refused GET changed the database: {writes[:3]}")
    else:
        if role not in acc.post and writes:
            out.append(f"{where}: changed the database without the right: {writes[:3]}")
        if acc.sensitive and role not in acc.post and outcome not in strict:
            out.append(f"{where}: organizer-only action answered {outcome}")
    if secrets and outcome in ("allowed", "redirect", "forbidden", "not found", "other 4xx"):
        text = body_text(response)
        url = t.url.lower()
        for label, value in secrets.items():
            if value.lower() in text and value.lower() not in url:
                out.append(f"{where}: shows the {label}")
    return out


# ------------------------------------------------------------------------------------------------
# Tests

SUMMARY: dict = {}
SLOW: list = []


@pytest.fixture(autouse=True)
def quiet_request_log():
    """403/404/405 are expected by the hundred here; server errors still log (ERROR)."""
    import logging

    loggers = [logging.getLogger(n) for n in ("django.request", "django.security.csrf")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


class SourcePDF:
    """Stands in for weasyprint.HTML: the "PDF" is the HTML it would render. Rendering takes
    half a second per document (tested in each app); here what matters is who receives the
    document and what is in it, and the HTML shows that better than text pulled out of a PDF."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-walk\n" + self.string.encode()


@pytest.fixture
def world(db, settings, monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", SourcePDF)
    settings.RATELIMIT_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield build_world()
    cache.clear()


@pytest.fixture(scope="module", autouse=True)
def summary_report():
    yield
    if SUMMARY:
        text = format_summary(SUMMARY)
        for row in sorted(SLOW, reverse=True)[:int(os.environ.get("PW_SLOW", "0"))]:
            print(f"{row[0]:.3f}", *row[1:])
        print("\n" + text)
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(text + "\n", encoding="utf-8")


def area(url) -> str:
    return ("Django admin" if url.startswith("/admin/") else
            "API" if url.startswith("/api/") else "site")


def format_summary(summary) -> str:
    areas = summary.get("areas", {})
    lines = [f"Permission walk on {connection.vendor}: {summary.get('urls', 0)} URLs per role "
             f"({summary.get('patterns', 0)} URL patterns, the rest variants: other objects, "
             f"query strings, encounter B, an unpublished encounter) · "
             + ", ".join(f"{areas[a]} {a}" for a in ("site", "API", "Django admin") if a in areas)
             + f" · {len(ROLES)} roles"]
    head = f"{'role':<18} {'requests':>8} " + " ".join(f"{o:>10}" for o in (
        "2xx", "redirect", "login", "403", "404", "405", "other 4xx", "5xx"))
    for method in ("GET", "POST"):
        rows = summary.get(method, {})
        if not rows:
            continue
        lines += ["", f"{method}:", head]
        for role in ROLES:
            counts = rows.get(role)
            if counts is None:
                continue
            total = sum(counts.values())
            lines.append(f"{role:<18} {total:>8} " + " ".join(
                f"{counts.get(o, 0):>10}" for o in OUTCOMES))
    lines.append("")
    for role in ROLES:
        get = summary.get("GET", {}).get(role)
        if get is None:
            continue
        allowed = get.get("allowed", 0) + get.get("redirect", 0)
        lines.append(f"{role}: {sum(get.values())} URLs · {allowed} allowed "
                     f"({get.get('redirect', 0)} of them redirects) · {get.get('login', 0)} "
                     f"login · {get.get('forbidden', 0)} forbidden · "
                     f"{get.get('not found', 0)} not found · "
                     f"{get.get('method not allowed', 0)} method not allowed")
    if "csrf" in summary:
        c = summary["csrf"]
        lines.append(f"CSRF: {sum(c.values())} POSTs without a token (every view that takes "
                     f"POST × anonymous, participant, admin) · {c.get(403, 0)} refused (403)")
    return "\n".join(lines)


def _record(results):
    for r in results:
        SUMMARY.setdefault(r.method, {}).setdefault(r.role, collections.Counter())[r.outcome] += 1


def test_every_url_has_a_declared_access_and_known_keywords(world):
    targets, problems = build_targets(world)
    assert not problems, "\n".join(problems)
    assert len({t.key for t in targets}) > 150  # the site, the API and the admin are all there
    for t in targets:
        if t.callback is not None and takes_post_in_source(t.callback):
            assert t.access.post is not None, f"{t.name} reads POST: declare who may post"


@pytest.mark.parametrize("role", ROLES)
def test_permission_walk(world, role):
    targets, problems = build_targets(world)
    assert not problems, "\n".join(problems)
    SUMMARY["urls"] = len(targets)
    SUMMARY["patterns"] = len({t.key for t in targets})
    SUMMARY["areas"] = collections.Counter(area(t.url) for t in targets)
    results, failures = walk(role, world, targets)
    _record(results)
    SLOW.extend((r.seconds, r.role, r.method, r.target.url, r.outcome) for r in results)
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


# Views that take POST without a CSRF token on purpose (they change nothing but a cookie).
CSRF_EXEMPT = {"set_language"}


def test_posts_without_csrf_token_are_refused(world):
    """Every POST to a view that takes POST, without a CSRF token, is a 403 and changes nothing
    (anonymous, logged in, admin) — but the few declared in CSRF_EXEMPT."""
    targets, problems = build_targets(world)
    assert not problems, "\n".join(problems)
    bad, counts = [], collections.Counter()
    for role in (ANON, PART, ADMIN):
        client = client_for(role, world, csrf=True)
        for t in targets:
            if t.access.post is None or t.key in CSRF_EXEMPT:
                continue
            response, writes = send(client, "POST", t.url, t.access.data and t.access.data(
                world, world.B if t.label == "B" else world.A))
            counts[response.status_code] += 1
            if response.status_code != 403 or writes:
                bad.append(f"{role} POST {t.url}: {response.status_code}, writes {writes[:2]}")
    SUMMARY["csrf"] = counts
    assert not bad, "\n".join(bad)
