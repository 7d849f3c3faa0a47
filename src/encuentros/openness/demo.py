"""Demo data of the openness app, called by encuentros.demo.services.load_demo (idempotent)."""


def load(historical, current) -> dict:
    """historical: the five Encounter objects of the seed; current: the synthetic encounter."""
    return {}
