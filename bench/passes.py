"""Passes over a QA set's questions, cached under ``bench/runs/``.

- ``scorer_rows``: every stored question's candidates, features and labels,
  as the composer computes them (what the sentence scorer is fitted on);
- ``answer_pass``: every question asked with abstention off, the composer
  scoring with a given sentence scorer per question: the shipped one
  (in-sample), one fitted without the question's fold (out of fold), or one
  fitted on the other QA set only (cross-set).

Cached files are keyed by a hash of the code (and, for answers, of the
scorer models used), so an edit never reuses stale numbers.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QA_SETS = ("xquad", "arcd")


def code_hash(*extra: bytes) -> str:
    files = sorted([*ROOT.glob("index/*.py"), *ROOT.glob("qa/*.py")])
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files))
    for blob in extra:
        digest.update(blob)
    return digest.hexdigest()[:10]


def store_folder(runs: Path, size: str, qa_set: str, precision: str, chunk_size: int = 600) -> Path:
    """XQuAD keeps the folder name it always had, so its store is reused."""
    name = f"{size}-cs{chunk_size}-{precision}"
    return runs / (name if qa_set == "xquad" else f"{qa_set}-{name}")


def scorer_rows(qa, questions: list[dict], folder: Path, log=print) -> list[dict]:
    from .scorer import dump

    path = folder / f"scorer-rows-{code_hash()}.pkl"
    if path.exists():
        with path.open("rb") as f:
            return pickle.load(f)
    log(f"  recording candidates of {len(questions)} questions ...")
    rows = dump(qa, questions, log)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return rows


def answer_pass(qa, questions: list[dict], mode: str, name: str, folder: Path, models: dict[str, dict],
                model_for, log=print, on_progress=None) -> list[dict]:
    """Records of every question, the composer scoring with
    ``models[model_for(question)]``; cached by code and models."""
    from qa.scorer import SentenceScorer

    from .quality import run_questions

    blob = json.dumps(models, sort_keys=True).encode("utf-8")
    out = folder / f"answers-{mode}-{name}-{code_hash(blob)}.jsonl"
    scorers = {key: SentenceScorer(model) for key, model in models.items()}

    def before(question):
        qa.composer.scorer = scorers[model_for(question)]

    return run_questions(qa, questions, mode, out, log, on_progress=on_progress, before=before)
