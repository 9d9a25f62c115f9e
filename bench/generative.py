"""The generative composer beside the extractive one, on the same questions:
a fixed, seeded sample of 100 XQuAD-ar questions (80 whose article is
stored, 20 held out) plus the example article's questions, answered by both composers
through the whole pipeline (retrieval, composer, the shared finishing step
with the shipped abstention threshold).

The model server is llama.cpp with Qwen2.5-Coder-1.5B-Instruct Q4_K_M,
started by ``scripts/llm-server.sh --model large`` (or the server at
``QA_LLM_URL`` when set).  Per composer: gold_in_answer, the share of
generated sentences verification kept, answers in Arabic, citations that
point at the gold article, abstention on held-out articles, latency p50/p95
and the model's tokens/s.

    python -m bench --condition generative
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

from . import passes
from .data import contains_gold

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "taif-post-assad-putin-call.txt"
SEED = 13
# The example article's questions and what a right answer contains (any of).
EXAMPLE_QUESTIONS = [
    ("ماذا ناقش الأسد وبوتين في الاتصال الهاتفي؟", ["الأوضاع", "العلاقات الاقتصادية", "اللجنة الدستورية", "كورونا"]),
    ("متى ستجرى الانتخابات الرئاسية السورية؟", ["مايو", "أيار"]),
    ("ما الوكالة التي نقلت بيان الكرملين؟", ["تاس"]),
    ("متى أصدرت الرئاسة الروسية بيانها؟", ["26 أبريل", "الاثنين"]),
    ("ماذا قالت الرئاسة السورية عن الاتصال؟", ["مسائل ذات اهتمام مشترك", "لقاحات"]),
    ("ماذا قد توفر روسيا لسوريا لمكافحة كورونا؟", ["اللقاحات", "لقاحات"]),
    ("متى كان آخر اتصال مباشر بين الأسد وبوتين قبل هذا الاتصال؟", ["تشرين الثاني", "نوفمبر"]),
    ("من بادر بالاتصال الهاتفي بين الأسد وبوتين؟", ["الجانب السوري"]),
]


def sample(ds, stored: int, held: int) -> list[dict]:
    rng = random.Random(SEED)
    have = sorted((q for q in ds.questions if q["stored"]), key=lambda q: q["id"])
    lack = sorted((q for q in ds.questions if not q["stored"]), key=lambda q: q["id"])
    chosen = rng.sample(have, min(stored, len(have))) + rng.sample(lack, min(held, len(lack)))
    rng.shuffle(chosen)  # held-out questions spread through the run: any prefix of it is a fair sample
    return chosen


def example_questions(article_id: str) -> list[dict]:
    return [{"id": f"example:{i}", "question": q, "answers": golds, "article_id": article_id, "stored": True,
             "set": "example"} for i, (q, golds) in enumerate(EXAMPLE_QUESTIONS)]


# -- the model server ------------------------------------------------------------------------------
def start_server(port: int, threads: int, model: str, folder: Path, log=print) -> subprocess.Popen:
    """The model server, its log in ``folder``: a pipe nobody reads fills up
    with llama.cpp's loading log and blocks the server before it listens."""
    server_log = folder / f"llm-server-{model}.log"
    log(f"generative: starting scripts/llm-server.sh --model {model} on port {port} ({threads} thread(s)); "
        f"log {server_log}")
    with server_log.open("w", encoding="utf-8") as sink:
        server = subprocess.Popen(["bash", "scripts/llm-server.sh", "--model", model, "--port", str(port),
                                   "--threads", str(threads)], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 1800  # a first run builds llama-cpp-python (about 7 minutes)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the model server stopped: {server_log.read_text(errors='replace')[-500:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2).read()
            return server
        except OSError:
            time.sleep(2)
    server.terminate()
    raise RuntimeError("the model server did not start")


# -- one pass --------------------------------------------------------------------------------------
def ask(qa, question: dict) -> dict:
    """One question through the pipeline, with what the composer did."""
    from qa.finish import finish
    from qa.verify import claims_of, in_arabic

    started = time.perf_counter()
    request = qa.request(question["question"])
    draft = qa.composer.compose(request)
    answer = finish(request, draft)
    latency = time.perf_counter() - started
    replies = draft.generations or []
    kept = len(claims_of(draft.text)) if draft.composer == "llm" and draft.text else 0
    cited = [c.article_id for c in answer.citations]
    return {"id": question["id"], "set": question.get("set", "xquad"), "stored": question["stored"],
            "article_id": question["article_id"], "composer": answer.composer, "note": answer.note,
            "abstained": answer.abstained,
            "gold_in_answer": bool(not answer.abstained and contains_gold(answer.text, question["answers"])),
            "citations": len(cited), "citations_gold": sum(1 for a in cited if a == question["article_id"]),
            "kept": kept, "dropped": draft.dropped, "in_arabic": in_arabic(answer.text),
            "first_reply_arabic": in_arabic(replies[0]["text"]) if replies else None, "replies": len(replies),
            "tokens": sum(r["tokens"] for r in replies),
            "decode_s": sum(r["seconds"] - r["first_token_s"] for r in replies if r["seconds"] and r["tokens"]),
            "first_token_s": replies[0]["first_token_s"] if replies else None,
            "latency_s": round(latency, 3), "answer": answer.text, "generated": [r["text"] for r in replies]}


def run_pass(qa, questions: list[dict], out: Path, log=print) -> list[dict]:
    """Every question once, resuming from ``out`` after an interruption."""
    done = []
    if out.exists():
        done = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = {r["id"] for r in done}
    with out.open("a", encoding="utf-8") as sink:
        for i, question in enumerate(questions, start=1):
            if question["id"] in ids:
                continue
            record = ask(qa, question)
            done.append(record)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
            if i % 10 == 0:
                log(f"  {qa.composer.name}: {i}/{len(questions)}")
    order = {q["id"]: i for i, q in enumerate(questions)}
    return sorted((r for r in done if r["id"] in order), key=lambda r: order[r["id"]])


def summarise(records: list[dict]) -> dict:
    stored = [r for r in records if r["stored"]]
    held = [r for r in records if not r["stored"]]
    said = [r for r in stored if not r["abstained"]]
    generated = sum(r["kept"] + r["dropped"] for r in records)
    latencies = sorted(r["latency_s"] for r in records)
    decode = sum(r["decode_s"] for r in records if r["tokens"])  # a reply of no token has no decoding time
    return {
        "questions": len(records), "questions_stored": len(stored), "questions_held_out": len(held),
        "gold_in_answer": _share(sum(r["gold_in_answer"] for r in stored), len(stored)),
        "kept_share": _share(sum(r["kept"] for r in records), generated) if generated else None,
        "in_arabic": _share(sum(r["in_arabic"] for r in records), len(records)),
        "first_reply_arabic": _share(sum(bool(r["first_reply_arabic"]) for r in records if r["replies"]),
                                     sum(1 for r in records if r["replies"])) if any(r["replies"] for r in records) else None,
        "citations_gold": _share(sum(r["citations_gold"] for r in said), sum(r["citations"] for r in said)),
        "false_abstain": _share(len(stored) - len(said), len(stored)),
        "abstain_when_absent": _share(sum(r["abstained"] for r in held), len(held)),
        "fallback_extractive": _share(sum(1 for r in records if r["note"] and r["composer"] == "extractive"),
                                      len(records)),
        "latency_p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p95_s": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 2) if latencies else None,
        "tokens_per_s": round(sum(r["tokens"] for r in records) / decode, 2) if decode else None,
    }


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def run(main, cond: dict, size: str, state: dict) -> dict:
    from qa.api import QA

    from .qa_conditions import open_set
    from .speed import ensure_store

    size = cond.get("size", "full")
    ds, _, folder, _ = open_set(main, size, "xquad", state)
    questions = sample(ds, int(cond.get("stored", 80)), int(cond.get("held_out", 20)))
    example_folder = main.RUNS / f"example-cs600-{main.precision()}"
    ensure_store(example_folder, [SAMPLE], main.settings_for(600))
    url, server = os.environ.get("QA_LLM_URL"), None
    if not url:
        port = int(cond.get("port", 8091))
        server = start_server(port, int(cond.get("threads", 1)), cond.get("model", "large"), folder, main.log)
        url = f"http://127.0.0.1:{port}/v1"
    llm = {"composer": "llm", "llm_url": url, "llm_timeout": float(cond.get("timeout_s", 180)),
           "llm_max_tokens": int(cond.get("max_tokens", 256))}
    key = passes.code_hash(json.dumps(cond, sort_keys=True).encode("utf-8"))
    results = {}
    try:
        for name, extra in (("extractive", {}), ("llm", llm)):
            records = []
            for store, asked in ((example_folder, None), (folder, questions)):
                settings = main.settings_for(600, store=store / "store", **extra)
                qa = QA(settings, embedder=state["embedder"])
                qa.warm_up()
                asked = asked if asked is not None else example_questions(qa.articles()[0]["id"])
                main.log(f"generative: {name} composer, {len(asked)} questions from {store.name}")
                records += run_pass(qa, asked, store / f"generative-{name}-{key}.jsonl", main.log)
            state["embedder"].save()
            results[name] = records
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    return compare(results, cond)


def compare(results: dict[str, list[dict]], cond: dict, complete: bool = True) -> dict:
    """Both composers' figures over the questions both have answered (all of
    them once a run is complete)."""
    common = set.intersection(*({r["id"] for r in records} for records in results.values()))
    metrics, per = {}, {}
    for name, records in results.items():
        records = [r for r in records if r["id"] in common]
        results[name] = records
        per[name] = {"all": summarise(records), "xquad": summarise([r for r in records if r["set"] == "xquad"]),
                     "example": summarise([r for r in records if r["set"] == "example"])}
        metrics.update({f"{name}_{k}": v for k, v in per[name]["all"].items() if not k.startswith("questions")})
    metrics["questions"] = len(common)
    return {"metrics": metrics, "per_composer": per, "model": cond.get("model", "large"), "threads": cond.get("threads", 1),
            "complete": complete, "load_average": os.getloadavg(), "records": results}


def partial(main, cond: dict, key: str | None = None) -> dict:
    """The figures of an unfinished run, from its run files (``python -c
    'import bench.__main__ as m; m.partial_generative()'``): both composers on
    the questions the model has answered so far.  ``key``: the run's code
    hash (default: the newest run's)."""
    if key is None:
        newest = max(main.RUNS.glob("*/generative-llm-*.jsonl"), key=lambda p: p.stat().st_mtime)
        key = newest.stem.rsplit("-", 1)[1]
    results = {}
    for name in ("extractive", "llm"):
        records = []
        for path in sorted(main.RUNS.glob(f"*/generative-{name}-{key}.jsonl")):
            records += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        results[name] = records
    return compare(results, cond, complete=False)


ROWS = [  # (metric, what the README calls it, how it is shown)
    ("gold_in_answer", "gold answer in the answer (stored articles)", "pct"),
    ("kept_share", "generated sentences kept by verification", "pct"),
    ("in_arabic", "answers in Arabic", "pct"),
    ("first_reply_arabic", "first reply of the model in Arabic", "pct"),
    ("citations_gold", "citations pointing at the gold article", "pct"),
    ("false_abstain", "abstained though the article is stored", "pct"),
    ("abstain_when_absent", "abstained on held-out articles", "pct"),
    ("fallback_extractive", "fell back to the extractive answer", "pct"),
    ("latency_p50_s", "latency p50 (s)", "num"),
    ("latency_p95_s", "latency p95 (s)", "num"),
    ("tokens_per_s", "model tokens/s (writing)", "num"),
]


def table(result: dict) -> str:
    """The README's table: both composers side by side, all questions."""
    per = result["per_composer"]
    lines = ["| | extractive | generative (llm) |", "|---|---|---|"]
    for key, name, how in ROWS:
        lines.append(f"| {name} | {_shown(per['extractive']['all'][key], how)} | {_shown(per['llm']['all'][key], how)} |")
    return "\n".join(lines)


def _shown(value: float | None, how: str) -> str:
    return "–" if value is None else (f"{100 * value:.1f}%" if how == "pct" else f"{value:g}")
