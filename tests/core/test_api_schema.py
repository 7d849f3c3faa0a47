"""Property-based checks of the whole public API against its own OpenAPI schema
(schemathesis): no server errors, every response conforms to the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import status_code_conformance

from encuentros.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI application directly fires request_started/finished, which close the
    database connection — inside a test transaction on PostgreSQL that would end the test's
    connection. Django's test client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(encounter, agency):
    from encuentros.core.sectors import Sector
    from encuentros.encounters import seating, services

    encounter.capacity = None
    encounter.save()
    for i in range(8):
        services.register(encounter, services.RegistrationData(
            full_name=f"P {i}", email=f"p{i}@example.org", sector=list(Sector)[i % 4],
            organization_name=agency.name if i % 2 else f"Org {i}", public_profile=i % 3 == 0))
    seating.generate(encounter, table_size=4, rounds=2, source="registered")


@schema.parametrize()
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_api_conforms_to_its_schema(case, data):
    # 404 and 422 (invalid input is generated too) are not declared in the schema; every other
    # check runs: no server error, responses and content types conform to the schema.
    case.call_and_validate(headers={"Host": "localhost"},
                           excluded_checks=[status_code_conformance])


def test_schema_names_are_unique_across_routers():
    """ninja names OpenAPI components by class name: two schemas with one name would make the
    documented response of one route the other's."""
    import importlib
    import inspect
    from collections import Counter

    from django.conf import settings
    from ninja import Schema

    names = Counter()
    for app in settings.INSTALLED_APPS:
        if not app.startswith("encuentros."):
            continue
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, Schema) and obj.__module__ == \
                    module.__name__:
                names[name] += 1
    assert [n for n, c in names.items() if c > 1] == []
