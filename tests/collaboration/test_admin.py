"""Every model has a working admin; admin edits land in the public history."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from encuentros.collaboration import models, services


@pytest.mark.parametrize("model", [m for m in vars(models).values()
                                   if isinstance(m, type) and issubclass(m, models.models.Model)
                                   and m._meta.app_label == "collaboration"
                                   and not m._meta.abstract])
def test_every_model_has_an_admin_changelist(client, admin_user, commitment, model):
    assert admin.site.is_registered(model)
    client.force_login(admin_user)
    url = reverse(f"admin:collaboration_{model._meta.model_name}_changelist")
    assert client.get(url + "?q=x").status_code == 200


def test_admin_edit_is_recorded(client, admin_user, commitment):
    client.force_login(admin_user)
    url = reverse("admin:collaboration_commitment_change", args=[commitment.pk])
    data = {"title": "Publicar cruces (corregido)", "description": "",
            "agreement": commitment.agreement_id, "table": "",
            "responsible": commitment.responsible_id,
            "due_date": commitment.due_date.isoformat(), "progress": 0,
            "status": "not_started", "status_reason": "",
            "milestones-TOTAL_FORMS": 0, "milestones-INITIAL_FORMS": 0}
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    rec = services.history(commitment).first()
    assert rec.action == "edited_in_admin" and rec.actor_role == "admin"
    assert rec.changes["title"] == ["Publicar cruces", "Publicar cruces (corregido)"]


def test_history_cannot_be_edited_in_admin(client, admin_user, commitment):
    client.force_login(admin_user)
    rec = services.history(commitment).first()
    r = client.post(reverse("admin:collaboration_changerecord_delete", args=[rec.pk]),
                    {"post": "yes"})
    assert r.status_code == 403
    assert services.history(commitment).filter(pk=rec.pk).exists()


def test_agreement_with_pdf_on_the_web(client, organizer, encounter, agency, settings,
                                       tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(organizer)
    url = reverse("collaboration:manage_new", args=[encounter.number, "agreement"])
    r = client.post(url, {"kind": "agreement", "title": "Con texto", "signatories": [agency.pk],
                          "document": SimpleUploadedFile("a.txt", b"hola")})
    assert r.status_code == 200 and not models.Agreement.objects.exists()
    client.post(url, {"kind": "agreement", "title": "Con PDF", "signatories": [agency.pk],
                      "document": SimpleUploadedFile("acuerdo.pdf", b"%PDF-1.4 test")})
    agreement = models.Agreement.objects.get(title="Con PDF")
    assert agreement.document.name.endswith(".pdf")
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert agreement.document.url in html
    assert services.history(agreement).first().changes["document"][1].startswith("agreements/")


def test_admin_refuses_a_document_that_is_not_a_pdf(client, admin_user, encounter, settings,
                                                  tmp_path):
    """The admin form checks the upload like the organizers' form (size, name, content)."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    url = reverse("admin:collaboration_agreement_add")
    data = {"kind": "agreement", "title": "Desde la administración", "encounter": encounter.pk,
            "commitments-TOTAL_FORMS": 0, "commitments-INITIAL_FORMS": 0}
    fake = client.post(url, {**data, "document": SimpleUploadedFile("firmado.pdf",
                                                                    b"MZ\x90\x00 not a pdf")})
    assert fake.status_code == 200 and not models.Agreement.objects.exists()
    assert "document" in fake.context["adminform"].form.errors
    settings.MAX_UPLOAD_MB = 0.001
    big = client.post(url, {**data, "document": SimpleUploadedFile("firmado.pdf",
                                                                   b"%PDF-1.4" + b"x" * 4000)})
    assert big.status_code == 200 and not models.Agreement.objects.exists()
    settings.MAX_UPLOAD_MB = 20
    ok = client.post(url, {**data, "document": SimpleUploadedFile("firmado.pdf",
                                                                  b"%PDF-1.4 real")})
    assert ok.status_code == 302, ok.context and ok.context["adminform"].form.errors
    agreement = models.Agreement.objects.get()
    # saving it again (the stored file is not re-read) still works
    change = reverse("admin:collaboration_agreement_change", args=[agreement.pk])
    again = client.post(change, {**data, "title": "Renombrado"})
    assert again.status_code == 302
