import re

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_sitemap_lists_public_pages_that_all_answer(client):
    call_command("load_demo", verbosity=0)
    xml = client.get("/sitemap.xml").content.decode()
    urls = re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", xml)
    assert "/encounters/4/" in urls and "/atlas/" in urls
    assert any(u.startswith("/organizations/") and u != "/organizations/" for u in urls)
    assert "/surveys/report/5/" in urls
    for url in urls[:60]:
        assert client.get(url).status_code == 200, url
