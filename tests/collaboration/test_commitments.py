"""Agreements, commitments, milestones: status rules, reasons, progress, history, roles."""

import datetime as dt

import pytest
from django.utils import timezone

from encuentros.collaboration import services
from encuentros.collaboration.models import Commitment
from encuentros.collaboration.services import WorkflowError


def test_agreement_changes_are_recorded_with_old_and_new(agreement, organizer, agency):
    services.save_agreement(organizer, agreement, title="Carta de intención (firmada)",
                            signed_on=dt.date(2026, 1, 15))
    rec = services.history(agreement).first()
    assert rec.action == "edited"
    assert rec.changes["title"] == ["Carta de intención de movilidad",
                                    "Carta de intención (firmada)"]
    assert rec.changes["signed_on"] == [None, "2026-01-15"]
    assert services.history(agreement).count() == 2  # created + edited


def test_only_organizers_and_admins_manage_agreements(stranger, encounter, agreement,
                                                      admin_user):
    with pytest.raises(WorkflowError):
        services.save_agreement(stranger, kind="agreement", title="X", encounter=encounter)
    with pytest.raises(WorkflowError):
        services.save_agreement(stranger, agreement, title="Cambio ajeno")
    agreement.refresh_from_db()
    assert agreement.title == "Carta de intención de movilidad"
    services.save_agreement(admin_user, agreement, title="Cambio de admin")


def test_commitment_needs_agreement_or_table(organizer):
    with pytest.raises(WorkflowError):
        services.create_commitment(organizer, title="Huérfano")


@pytest.mark.parametrize("status", ["delayed", "cancelled"])
def test_delayed_and_cancelled_need_a_reason(commitment, organizer, status):
    with pytest.raises(WorkflowError, match="reason") as err:
        services.update_commitment(commitment, organizer, status=status)
    assert err.value.field == "reason"
    c = services.update_commitment(commitment, organizer, status=status,
                                   reason="Falta presupuesto")
    assert c.status == status and c.status_reason == "Falta presupuesto"


def test_cancelled_is_final(commitment, organizer):
    services.update_commitment(commitment, organizer, status="cancelled", reason="Sustituido")
    with pytest.raises(WorkflowError, match="cannot go from"):
        services.update_commitment(commitment, organizer, status="in_progress")


def test_completed_means_100_and_reopening_needs_reason(commitment, organizer):
    c = services.update_commitment(commitment, organizer, status="completed")
    assert c.progress == 100
    with pytest.raises(WorkflowError, match="reopening"):
        services.update_commitment(c, organizer, status="in_progress")
    c = services.update_commitment(c, organizer, status="in_progress", reason="Faltó un anexo",
                                   progress=90)
    assert (c.status, c.progress) == ("in_progress", 90)


def test_progress_moves_not_started_to_in_progress(commitment, organizer):
    c = services.update_commitment(commitment, organizer, progress=30)
    assert (c.status, c.progress) == ("in_progress", 30)
    rec = services.history(c).first()
    assert rec.changes == {"status": ["not_started", "in_progress"], "progress": [0, 30]}


def test_progress_out_of_range(commitment, organizer):
    with pytest.raises(WorkflowError):
        services.update_commitment(commitment, organizer, progress=120)


def test_progress_comes_from_milestones_when_there_are_some(commitment, organizer):
    m1 = services.add_milestone(commitment, organizer, title="Borrador del conjunto")
    services.add_milestone(commitment, organizer, title="Publicación")
    services.add_milestone(commitment, organizer, title="Difusión")
    services.add_milestone(commitment, organizer, title="Evaluación")
    with pytest.raises(WorkflowError, match="milestones"):
        services.update_commitment(commitment, organizer, progress=50)
    with pytest.raises(WorkflowError, match="evidence"):
        services.set_milestone_done(m1, organizer)
    services.set_milestone_done(m1, organizer, evidence_url="https://example.org/e1")
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.status) == (25, "in_progress")
    with pytest.raises(WorkflowError, match="every milestone"):
        services.update_commitment(commitment, organizer, status="completed")
    services.set_milestone_done(m1, organizer, done=False)
    commitment.refresh_from_db()
    assert commitment.progress == 0
    actions = [r.action for r in services.history(commitment)]
    assert actions.count("milestone") == 2 and "progress" in actions


def test_stranger_cannot_update_commitment(commitment, stranger, author):
    for user in (stranger, author):
        with pytest.raises(WorkflowError):
            services.update_commitment(commitment, user, progress=10)
    commitment.refresh_from_db()
    assert commitment.progress == 0


def test_overdue(commitment, organizer):
    today = timezone.localdate()
    commitment.due_date = today - dt.timedelta(days=1)
    commitment.save()
    assert commitment.is_overdue
    assert Commitment.objects.filter(services.overdue_q()).count() == 1
    services.update_commitment(commitment, organizer, status="completed")
    commitment.refresh_from_db()
    assert not commitment.is_overdue
    assert Commitment.objects.filter(services.overdue_q()).count() == 0


def test_dashboard_completion_by_agency(commitment, organizer, agreement, agency):
    late = services.create_commitment(organizer, title="Atrasado", agreement=agreement,
                                      responsible=agency,
                                      due_date=timezone.localdate() - dt.timedelta(days=3))
    services.update_commitment(commitment, organizer, status="completed")
    data = services.dashboard()
    row = data["by_org"][0]
    assert (row["responsible__name"], row["total"], row["completed"], row["overdue"],
            row["completion"]) == ("Secretaría de Movilidad", 2, 1, 1, 50)
    assert [c.pk for c in data["overdue"]] == [late.pk]


def test_table_members_and_sector_mix(organizer, encounter, agency, author):
    from encuentros.core.sectors import Sector

    table = services.create_table(organizer, name="Mesa de movilidad", encounter=encounter)
    services.add_member(table, organizer, role="data_holder", organization=agency)
    services.add_member(table, organizer, role="civil_society", person=author.person)
    mix = services.sector_mix([table])[table.pk]
    assert sorted((s, n) for s, _, n in mix) == [(Sector.CIVIL_SOCIETY, 1),
                                                 (Sector.GOVERNMENT, 1)]
    with pytest.raises(WorkflowError, match="reason"):
        services.set_table_status(table, organizer, "suspended")
    services.set_table_status(table, organizer, "active")
    assert services.history(table).first().changes == {"status": ["forming", "active"]}
