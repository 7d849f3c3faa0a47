import pytest


@pytest.mark.django_db
def test_every_page_forbids_inline_and_foreign_scripts(client):
    response = client.get("/")
    directives = dict(d.strip().split(" ", 1) for d in
                      response["Content-Security-Policy"].split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    body = response.content.decode()
    assert "<script>" not in body and " onclick=" not in body
