"""Compatibility scores (pure, no Django): Spanish-aware text similarity, topic Jaccard, sector
complementarity and their combination, checked as properties over generated inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from encuentros.matching.compatibility import (
    combine,
    fold,
    sector_complementarity,
    text_similarity,
    tokens,
    topic_jaccard,
)

SECTORS = ["government", "civil_society", "academia", "private", "citizen", None]
WORDS = ["movilidad", "bicicletas", "árboles", "agua", "calidad", "aire", "seguridad", "víctimas",
         "presupuesto", "escuelas", "salud", "hospitales", "transporte", "público", "basura"]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)
topic_sets = st.sets(st.integers(0, 6), max_size=4)


def test_spanish_folding_stopwords_and_stems():
    assert fold("Información PÚBLICA, año") == "informacion publica, ano"
    # Stop words (and the generic "datos", "información") carry no meaning.
    assert tokens("los datos de la información que hay en la") == []
    # Plurals, accents and case reduce to the same stem.
    assert tokens("Árboles") == tokens("arbol") and tokens("bicicletas") == tokens("Bicicleta")
    assert tokens("Hospitales públicos") == tokens("hospital publico")


def test_ranking_prefers_the_dataset_that_answers_the_request():
    docs = ["Viajes en Ecobici por estación y hora", "Calidad del aire: ozono y PM2.5 por hora",
            "Presupuesto de egresos por dependencia"]
    sims = text_similarity(["¿Cuántos viajes en bicicleta pública hay por estación?"], docs)
    assert sims.shape == (1, 3)
    assert sims[0].argmax() == 0 and sims[0, 2] == 0


@settings(max_examples=80, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5), st.lists(texts, min_size=1, max_size=5))
def test_text_similarity_is_a_cosine(queries, documents):
    sims = text_similarity(queries, documents)
    assert sims.shape == (len(queries), len(documents))
    assert np.all(sims >= -1e-9) and np.all(sims <= 1 + 1e-9)
    for i, q in enumerate(queries):
        for j, d in enumerate(documents):
            if not tokens(q) or not tokens(d):
                assert sims[i, j] == 0
            elif sorted(tokens(q)) == sorted(tokens(d)):
                assert sims[i, j] == pytest.approx(1.0)
    # Symmetric: swapping the roles of queries and documents gives the transpose.
    assert np.allclose(text_similarity(documents, queries), sims.T)


@settings(max_examples=100, deadline=None)
@given(st.lists(topic_sets, max_size=5), st.lists(topic_sets, max_size=5))
def test_topic_jaccard_equals_the_set_definition(a, b):
    jac = topic_jaccard(a, b)
    assert jac.shape == (len(a), len(b))
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            expected = len(x & y) / len(x | y) if x and y else 0.0
            assert jac[i, j] == pytest.approx(expected)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(SECTORS), max_size=6),
       st.lists(st.sampled_from(SECTORS), max_size=6))
def test_sector_complementarity_prefers_government_holders_for_outside_demand(demand, supply):
    sec = sector_complementarity(demand, supply)
    assert sec.shape == (len(demand), len(supply))
    assert np.all((sec >= 0) & (sec <= 1))
    gov = sector_complementarity(demand, ["government"] * len(supply))
    for i, d in enumerate(demand):
        if d not in (None, "government"):
            assert np.all(gov[i] >= sec[i])


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_combined_score_stays_in_unit_interval_and_is_monotone(n, m, data):
    unit = st.floats(0, 1, allow_nan=False)
    t, p, s = (np.array([[data.draw(unit) for _ in range(m)] for _ in range(n)])
               for _ in range(3))
    score = combine(t, p, s)
    assert np.all(score >= 0) and np.all(score <= 1 + 1e-9)
    # More shared text never lowers the score.
    assert np.all(combine(np.minimum(t + 0.1, 1), p, s) >= score)
