"""Display of scores: rounded half up like published indices, never truncated."""

from django.utils import translation

from encuentros.openness.templatetags.openness import get, score, signed


def test_score_rounds_half_up_and_marks_unknowns():
    with translation.override("es-mx"):
        assert score(0.3775) == "0.38"          # Métrica de Gobierno Abierto, Chihuahua 2017
        assert score(0.37749999999999995) == "0.38"
        assert score(0.255) == "0.26"
        assert score(1) == "1.00" and score(None) == "—" and score("x") == "—"
        assert score(0.25, 1) == "0.3"


def test_signed_changes():
    assert signed(0.126) == "+0.13"
    assert signed(-0.05) == "−0.05"
    assert signed(-0.001) == "±0.00" and signed(None) == "—"
    assert get({"a": 1}, "a") == 1 and get(None, "a") is None
