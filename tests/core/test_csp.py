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


def test_no_template_holds_inline_script_or_handler():
    """The CSP blocks inline code: a template with an inline <script>, an on*= handler or an
    hx-on attribute (htmx evaluates it as code) would silently not work."""
    import re
    from pathlib import Path

    import encuentros

    root = Path(encuentros.__file__).parent
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\shx-on[:-]", re.I)
    offenders = [f"{path.relative_to(root)}: {match.group().strip()}"
                 for path in root.rglob("templates/**/*.html")
                 for match in inline.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []
