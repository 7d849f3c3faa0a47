import pytest
from django.core.management import call_command

from encuentros.opendata.models import DataRequest, Dataset, Match


@pytest.mark.django_db
def test_demo_open_data_is_loaded_once_and_only_for_the_synthetic_encounter():
    call_command("load_demo", verbosity=0)
    counts = (Dataset.objects.count(), DataRequest.objects.count(), Match.objects.count())
    call_command("load_demo", verbosity=0)
    assert counts == (Dataset.objects.count(), DataRequest.objects.count(),
                      Match.objects.count())
    assert counts[0] >= 10 and counts[1] >= 8 and counts[2] > 0
    assert not DataRequest.objects.filter(encounter__number__lte=5).exists()
    assert DataRequest.objects.filter(status="published").exists()
