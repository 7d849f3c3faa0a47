"""Demo data of the collaboration app, called by encuentros.demo.services.load_demo."""


def load(historical, current) -> dict:
    """historical: the five Encounter objects of the seed; current: the synthetic encounter."""
    return {}
