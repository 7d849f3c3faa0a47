import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse


@pytest.mark.django_db
def test_sign_up_logs_in_and_shows_account(client):
    response = client.post(reverse("core:signup"), {
        "username": "lucia", "first_name": "Lucía", "last_name": "Ríos",
        "email": "Lucia@Example.org", "password1": "una-clave-larga-2026",
        "password2": "una-clave-larga-2026"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="lucia")
    assert user.email == "lucia@example.org"
    page = client.get(reverse("core:account"))
    assert page.status_code == 200 and "lucia" in page.content.decode()


@pytest.mark.django_db
def test_sign_up_rejects_taken_email_with_field_error(client, user):
    response = client.post(reverse("core:signup"), {
        "username": "otra", "first_name": "Otra", "email": user.email.upper(),
        "password1": "una-clave-larga-2026", "password2": "una-clave-larga-2026"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_login_logout(client, user):
    response = client.post(reverse("login"), {"username": user.username,
                                              "password": "s3cret-pass-123"})
    assert response.status_code == 302
    assert client.get(reverse("core:account")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("core:account")).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(client, user):
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "otra-clave-larga-2026", "new_password2": "otra-clave-larga-2026"})
    assert response.status_code == 302
    assert client.login(username=user.username, password="otra-clave-larga-2026")


@pytest.mark.django_db
def test_spanish_by_default_and_english_on_request(client):
    spanish = client.get(reverse("encounters:list")).content.decode()
    assert 'lang="es"' in spanish
    assert "Encuentros de Gobierno Abierto" in spanish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("encounters:list")).content.decode()
    assert 'lang="en"' in english
    assert "Open Government Encounters" in english
