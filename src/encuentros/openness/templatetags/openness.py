from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def score(value, digits=2):
    """0–1 score with two decimals, rounded half up (0.3775 → 0.38); an em dash when unknown."""
    if value is None or value == "":
        return "—"
    try:
        return floatformat(float(value), int(digits))
    except (TypeError, ValueError):
        return "—"


@register.filter
def signed(value, digits=2):
    """A change with its sign: +0.12, −0.05, ±0.00."""
    if value is None:
        return "—"
    text = floatformat(abs(float(value)), int(digits))
    if text.strip("0.,") == "":
        return "±" + text
    return ("+" if value > 0 else "−") + text


@register.filter
def get(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)
