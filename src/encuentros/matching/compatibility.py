"""Compatibility scores between demand (data requests, proposals) and supply (datasets,
organizations), offline and Spanish-aware. No Django.

Text: accents folded, lower-cased, Spanish stop words removed, Snowball Spanish stems; TF-IDF
with sublinear term frequency and L2 norm; cosine similarity as one sparse product.
Topics: Jaccard index of the topic sets. Sectors: a table of complementarity (a civil-society
or academic demand meets a government holder best).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

STOPWORDS = frozenset("""
a al algo algun alguna algunas alguno algunos ante antes aqui asi aun cada como con contra
cual cuales cuando de del desde donde dos el ella ellas ello ellos en entre era eran es esa
esas ese eso esos esta estaba estan estar este esto estos fue fueron ha han hasta hay la las
le les lo los mas me mi mis mucho muy nada ni no nos o otra otras otro otros para pero poco
por porque que quien se ser si sin sobre solo su sus tambien tan tanto te tiene tienen todo
todos tu un una uno unos y ya datos dato informacion conjunto sobre cdmx ciudad mexico the of
and in for to on
""".split())

TOKEN = re.compile(r"[a-z0-9]+")

# How well a demand from one sector meets a holder from another (holders are mostly agencies).
SECTOR_COMPLEMENT = {
    ("civil_society", "government"): 1.0, ("academia", "government"): 1.0,
    ("private", "government"): 0.9, ("citizen", "government"): 1.0,
    ("government", "government"): 0.6,
}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("spanish")


def tokens(text: str) -> list[str]:
    words = [w for w in TOKEN.findall(fold(text)) if w not in STOPWORDS and len(w) > 1]
    return _stemmer().stemWords(words)


class TfIdf:
    """Fitted on a corpus of documents; transforms texts into L2-normalised sparse rows."""

    def __init__(self, documents: Sequence[str]):
        docs = [Counter(tokens(d)) for d in documents]
        df = Counter(term for d in docs for term in d)
        self.vocab = {term: i for i, term in enumerate(sorted(df))}
        n = max(1, len(docs))
        self.idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in sorted(df)])
        self._docs = self._matrix(docs)

    def _matrix(self, counters: list[Counter]) -> sp.csr_array:
        rows, cols, vals = [], [], []
        for i, c in enumerate(counters):
            for term, tf in c.items():
                j = self.vocab.get(term)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append((1 + math.log(tf)) * self.idf[j])
        m = sp.csr_array((vals, (rows, cols)), shape=(len(counters), len(self.vocab)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_array(sp.diags(1 / norms) @ m)

    def transform(self, texts: Sequence[str]) -> sp.csr_array:
        return self._matrix([Counter(tokens(t)) for t in texts])

    @property
    def documents(self) -> sp.csr_array:
        return self._docs


def text_similarity(queries: Sequence[str], documents: Sequence[str]) -> np.ndarray:
    """Cosine similarity (queries × documents) of TF-IDF vectors fitted on both."""
    if not queries or not documents:
        return np.zeros((len(queries), len(documents)))
    model = TfIdf(list(documents) + list(queries))
    q = model.transform(queries)
    d = model.documents[: len(documents)]
    return np.asarray((q @ d.T).todense())


def topic_jaccard(a: Sequence[Iterable], b: Sequence[Iterable]) -> np.ndarray:
    """Jaccard index of topic sets (len(a) × len(b)); 0 where either set is empty."""
    vocab: dict = {}
    A = [{vocab.setdefault(t, len(vocab)) for t in s} for s in a]
    B = [{vocab.setdefault(t, len(vocab)) for t in s} for s in b]
    if not vocab:
        return np.zeros((len(a), len(b)))
    ma = np.zeros((len(a), len(vocab)))
    mb = np.zeros((len(b), len(vocab)))
    for i, s in enumerate(A):
        ma[i, list(s)] = 1
    for j, s in enumerate(B):
        mb[j, list(s)] = 1
    inter = ma @ mb.T
    union = ma.sum(1)[:, None] + mb.sum(1)[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def sector_complementarity(demand: Sequence[str | None], supply: Sequence[str | None]
                           ) -> np.ndarray:
    out = np.full((len(demand), len(supply)), 0.5)
    for i, d in enumerate(demand):
        for j, s in enumerate(supply):
            out[i, j] = SECTOR_COMPLEMENT.get((d, s), 0.5 if s == "government" else 0.3)
    return out


def combine(text: np.ndarray, topics: np.ndarray, sectors: np.ndarray,
            weights=(0.6, 0.3, 0.1)) -> np.ndarray:
    """Weighted compatibility in [0, 1]."""
    wt, wp, ws = weights
    return wt * text + wp * topics + ws * sectors
