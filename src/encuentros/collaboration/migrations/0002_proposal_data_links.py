# A proposal's data needs link to the opendata app. Kept in its own, last migration so that
# the rest of the collaboration app does not depend on opendata.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("collaboration", "0001_initial"),
        ("opendata", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="data_requests",
            field=models.ManyToManyField(blank=True, related_name="proposals",
                                         to="opendata.datarequest",
                                         verbose_name="data needed (data requests)"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="datasets",
            field=models.ManyToManyField(blank=True, related_name="proposals",
                                         to="opendata.dataset", verbose_name="datasets used"),
        ),
    ]
