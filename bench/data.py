"""Benchmark data: the Arabic QA sets (XQuAD-ar, ARCD-train), SaudiNewsNet
distractors, the held-out split, and the answer normalisation every metric
uses.

Only the benchmark reads ``../shared``; everything here is deterministic
(seeded), so a size and a set always yield the same corpus and questions.
Each QA set gets a store of its own (its stored articles + the same news
distractors), as a user would ingest one collection.

    ds = prepare("small", Path("bench/runs/data"), qa_set="arcd")
    ds.corpus_files   # JSONL files to ingest (stored QA-set articles + news)
    ds.questions      # [{id, question, answers, article_id, stored, set}]
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from index import arabic

SHARED = Path(__file__).resolve().parents[2] / "shared"
XQUAD = Path("eval/xquad-ar/xquad.ar.json")
# The QA sets: name -> file under ../shared (SQuAD format, one article per data[] entry).
QA_SETS = {"xquad": XQUAD, "arcd": Path("eval/arcd-train/arcd-train.json")}
NEWS = Path("corpus/saudinewsnet")
SEED = 13
HOLDOUT = 0.2  # share of XQuAD articles left out of the store

SIZES = {
    # xquad articles (None: all 48), news distractors
    "small": {"articles": 10, "distractors": 100},
    "full": {"articles": None, "distractors": 500},
}


# -- answers -------------------------------------------------------------------------------
def normalize_answer(text: str) -> str:
    """Search form (``index.arabic.normalize``) without punctuation or symbols,
    white space collapsed: what "gold occurs in the answer" compares."""
    text = arabic.normalize(text)
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return " ".join(text.split())


def contains_gold(text: str, golds: list[str]) -> bool:
    """Whether any normalised gold answer occurs in the normalised ``text``
    (a substring, as in SQuAD-style "answer contains gold"; Arabic clitics
    such as «بالقاهرة» for «القاهرة» rule out whole-word matching)."""
    haystack = normalize_answer(text)
    return any(g in haystack for g in (normalize_answer(x) for x in golds) if g)


def word_count(text: str) -> int:
    return len(text.split())


# -- QA sets ---------------------------------------------------------------------------------
def squad_articles(squad: dict, qa_set: str = "xquad") -> list[dict]:
    """One article per ``data[]`` entry: its paragraphs joined by blank lines,
    with its questions (id, question, gold answers)."""
    out = []
    for number, entry in enumerate(squad["data"]):
        article_id = f"{qa_set}-{number:02d}"
        paragraphs = [p["context"].strip() for p in entry["paragraphs"]]
        questions = [{"id": f"{qa_set}:{qa['id']}", "question": qa["question"],
                      "answers": [a["text"] for a in qa["answers"]], "article_id": article_id, "set": qa_set}
                     for p in entry["paragraphs"] for qa in p["qas"]]
        out.append({"id": article_id, "title": entry["title"], "text": "\n\n".join(paragraphs),
                    "source": {"xquad": "xquad-ar", "arcd": "arcd-train"}.get(qa_set, qa_set), "questions": questions})
    return out


def xquad_articles(squad: dict) -> list[dict]:
    return squad_articles(squad, "xquad")


def split_holdout(ids: list[str], share: float = HOLDOUT, seed: int = SEED) -> tuple[list[str], list[str]]:
    """(stored, held out): a seeded shuffle; at least one of each when possible."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    n_held = max(1, round(len(order) * share)) if len(order) > 1 else 0
    held = sorted(order[:n_held])
    return sorted(order[n_held:]), held


def fold_of(key: str, folds: int = 2) -> int:
    """A stable fold number for ``key`` (cross-validating the threshold)."""
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % folds


# -- SaudiNewsNet --------------------------------------------------------------------------------
def news_records(folder: Path) -> list[dict]:
    """All SaudiNewsNet articles with content, deduplicated by url, sorted by url."""
    by_url: dict[str, dict] = {}
    for path in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith(".json"):
                    continue
                for item in json.loads(archive.read(name)):
                    if (item.get("content") or "").strip() and item.get("url"):
                        by_url.setdefault(item["url"], item)
    return [by_url[u] for u in sorted(by_url)]


def news_article(item: dict) -> dict:
    digest = hashlib.sha256(item["url"].encode("utf-8")).hexdigest()[:16]
    return {"id": f"snn-{digest}", "title": item.get("title") or None, "text": item["content"],
            "url": item["url"], "source": item.get("source") or None,
            "published": (item.get("date_extracted") or "")[:10] or None}


def sample_news(records: list[dict], n: int, seed: int = SEED, exclude: int = 0) -> list[dict]:
    """``n`` articles, a seeded sample of the url-sorted list; ``exclude``
    skips the first ``exclude`` of the same permutation (disjoint samples)."""
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    return [news_article(records[i]) for i in order[exclude:exclude + n]]


# -- the prepared data set ------------------------------------------------------------------------
@dataclass
class Dataset:
    size: str
    folder: Path
    stored_ids: list[str]
    held_ids: list[str]
    questions: list[dict]
    corpus_files: list[Path]
    articles: dict[str, dict] = field(default_factory=dict)  # stored QA-set articles + news, by id
    source_hash: str = ""
    qa_set: str = "xquad"

    @property
    def stored_questions(self) -> list[dict]:
        return [q for q in self.questions if q["stored"]]

    @property
    def held_questions(self) -> list[dict]:
        return [q for q in self.questions if not q["stored"]]


def sha256_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_files(shared: Path = SHARED, qa_set: str = "xquad") -> list[Path]:
    return [shared / QA_SETS[qa_set], *sorted((shared / NEWS).glob("*.zip"))]


def build_dataset(squad: dict, news: list[dict], size: str, folder: Path, qa_set: str = "xquad") -> Dataset:
    """Pure part of ``prepare``: choose articles and questions, write the JSONL."""
    spec = SIZES[size]
    articles = squad_articles(squad, qa_set)
    if spec["articles"] is not None:
        articles = articles[:spec["articles"]]
    stored_ids, held_ids = split_holdout([a["id"] for a in articles])
    stored = set(stored_ids)
    questions = [{**q, "stored": q["article_id"] in stored} for a in articles for q in a["questions"]]
    distractors = sample_news(news, spec["distractors"]) if news else []
    corpus = [{k: a[k] for k in ("id", "title", "text", "source")} for a in articles if a["id"] in stored]
    corpus += distractors
    folder.mkdir(parents=True, exist_ok=True)
    name = size if qa_set == "xquad" else f"{qa_set}-{size}"
    path = folder / f"corpus-{name}.jsonl"
    write_jsonl(path, corpus)
    write_jsonl(folder / f"questions-{name}.jsonl", questions)
    return Dataset(size, folder, stored_ids, held_ids, questions, [path], {a["id"]: a for a in corpus}, qa_set=qa_set)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """UTF-8 JSON lines, written atomically (a concurrent reader sees the old or the new file)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def prepare(size: str, folder: Path, shared: Path = SHARED, qa_set: str = "xquad") -> Dataset:
    """The data set of ``size`` ("small" or "full") of ``qa_set``, written under ``folder``."""
    squad = json.loads((shared / QA_SETS[qa_set]).read_text(encoding="utf-8"))
    news = _news(shared / NEWS)
    ds = build_dataset(squad, news, size, folder, qa_set)
    ds.source_hash = sha256_files(source_files(shared, qa_set))
    return ds


_NEWS_CACHE: dict[Path, list[dict]] = {}


def _news(folder: Path) -> list[dict]:
    """SaudiNewsNet read once per process (both QA sets use it)."""
    if folder not in _NEWS_CACHE:
        _NEWS_CACHE[folder] = news_records(folder)
    return _NEWS_CACHE[folder]
