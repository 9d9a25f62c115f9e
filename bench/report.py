"""The report (Markdown + JSON + PNG plots) and the quality gate.

Everything is rendered from ``bench/results/<size>/*.json``; nothing is
measured here. The gate compares the full-size results with the floors in
``bench/baseline.json`` and checks the data hash pinned there.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .checks import checks_table, fresh, stale
from .report_answers import answers_section, calibration_section, modes_section, scorer_section
from .report_newsqa import newsqa_section
from .report_tables import table

BASELINE = Path(__file__).resolve().parent / "baseline.json"
FLOOR_METRICS = {  # floor name: (condition, metric)
    **{f"{s}_{k}": ("quality-hybrid", f"{s}_{k}") for s in ("xquad", "arcd")
       for k in ("gold_in_answer", "quote_support", "answered_when_stored", "abstain_when_absent")},
    "cleaning_f1_min": ("cleaning", "ours_f1_min"),
}
MARGIN = 0.01  # floors sit this far below the measured value


def load(folder: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.json"))}


def gate_value(results: dict, floor: str):
    cond, metric = FLOOR_METRICS[floor]
    m = results.get(cond, {}).get("metrics", {})
    if metric.endswith("answered_when_stored"):
        key = metric.replace("answered_when_stored", "false_abstain")
        return None if m.get(key) is None else 1 - m[key]
    return m.get(metric)


# -- the gate -----------------------------------------------------------------------------------------
def floors_of(baseline: dict, size: str) -> dict:
    return (baseline.get("floors") or {}).get(size, {})


def gate(results: dict, baseline: dict, data_hash: str | None, size: str = "full") -> list[dict]:
    rows = []
    if data_hash is not None and baseline.get("data_sha256") and baseline["data_sha256"] != data_hash:
        rows.append({"floor": "data_sha256", "measured": data_hash[:12], "floor_value": baseline["data_sha256"][:12],
                     "status": "FAIL (data changed: re-pin with --update-baseline)"})
    for name, floor in floors_of(baseline, size).items():
        value = gate_value(results, name)
        status = "missing" if value is None else ("OK" if value >= floor - 1e-9 else "FAIL")
        rows.append({"floor": name, "measured": value, "floor_value": floor, "status": status})
    return rows


def new_floors(results: dict, old: dict, allow_regression: bool) -> tuple[dict, list[str]]:
    """Floors MARGIN below the results; refuses to lower one unless allowed."""
    floors, refused = dict(old), []
    for name in FLOOR_METRICS:
        value = gate_value(results, name)
        if value is None:
            continue
        proposed = max(0.0, round(int(value * 100) / 100 - MARGIN, 2))
        if name in old and proposed < old[name] and not allow_regression:
            refused.append(f"{name}: {old[name]} -> {proposed}")
            continue
        floors[name] = proposed
    return floors, refused


def update_baseline(root: Path, size: str, allow_regression: bool) -> int:
    """Pin ``size``'s floors MARGIN below its results in ``root/size``."""
    results = load(root / size)
    old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    kept = {k: v for k, v in floors_of(old, size).items() if k in FLOOR_METRICS}  # floors of retired metrics go
    floors, refused = new_floors(results, kept, allow_regression)
    if refused:
        print("refusing to lower floors (use --allow-regression): " + "; ".join(refused))
        return 1
    baseline = {"data_sha256": data_hash(),
                "floors": {**(old.get("floors") or {}), size: floors},
                "margin": MARGIN, "updated": time.strftime("%Y-%m-%d")}
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")
    print(json.dumps(baseline, indent=2))
    return 0


def data_hash() -> str:
    """The sha256 of the shared data the numbers come from (both QA sets and the news)."""
    from .data import QA_SETS, SHARED, sha256_files, source_files

    return sha256_files(sorted({p for qa_set in QA_SETS for p in source_files(SHARED, qa_set)}))


# -- tables ---------------------------------------------------------------------------------------------
def peers_table(results: dict) -> str:
    rows = []
    for name in ("quality-hybrid", "quality-dense", "quality-bm25"):
        if name in results:
            m = results[name]["metrics"]
            rows.append([f"ours ({name.split('-')[1]}), answer (XQuAD-ar)", m["xquad_gold_in_answer"],
                         m["xquad_median_words"], "–", "–"])
    for name in ("peer-llamaindex", "peer-bm25s", "peer-bm25s-stem"):
        if name in results:
            m = results[name]["metrics"]
            rows.append([name[5:] + ", top-2 text", m["recall"], m["median_words"], m["p50_ms"], m["p95_ms"]])
    return table(["system", "recall (gold in text)", "median words", "p50 ms", "p95 ms"], rows)


def speed_section(results: dict) -> list[str]:
    s = results.get("speed")
    if not s:
        return ["(speed not run)"]
    ing = s["ingest"]
    out = [f"Ingest of {ing['summary']['added']} articles / {ing['summary']['chunks']} chunks: "
           f"{ing['seconds']} s = {ing['articles_per_s']} articles/s, {ing['chunks_per_s']} chunks/s; "
           f"embedding {ing['embed_tokens']} e5 tokens at {ing['embed_tokens_per_s']} tokens/s "
           f"({ing['embed_chunks_per_s']} chunks/s); store {ing['store_mb']} MB; ingest peak RSS {ing['peak_rss_mb']} MB.", "",
           table(["stage", "seconds", "share"], [[k, v, f"{100 * v / ing['seconds']:.1f}%"] for k, v in ing["stages"].items()]),
           "", table(["query", "n", "p50 ms", "p95 ms"],
                     [[f"search k=10 {m}", v["n"], v["p50_ms"], v["p95_ms"]] for m, v in s["search"].items()]
                     + [["ask (search + compose), hybrid", s["ask"]["n"], s["ask"]["p50_ms"], s["ask"]["p95_ms"]]]),
           "", table(["command (subprocess, best of 3)", "seconds", "median", "peak RSS MB"],
                     [["qa --help", s["cli"]["help"]["best_s"], s["cli"]["help"]["median_s"], "–"],
                      ["qa ask (cold: process start to answer)", s["cli"]["ask_cold"]["best_s"],
                       s["cli"]["ask_cold"]["median_s"], s["cli"]["ask_cold"]["peak_rss_mb"]]]
                     + ([["qa ask, cold, QA_QUERY_ENGINE=torch (the old path)", s["cli"]["ask_cold_torch"]["best_s"],
                          s["cli"]["ask_cold_torch"]["median_s"],
                          s["cli"]["ask_cold_torch"].get("peak_rss_mb", "–")]] if "ask_cold_torch" in s["cli"] else [])),
           *_importtime_lines(s["cli"].get("ask_importtime")),
           "", f"Load average during the speed run: {', '.join(f'{x:.1f}' for x in s['load_average'])} (2 cores)."]
    llama = s.get("llamaindex_ingest")
    if llama:
        out += ["", f"LlamaIndex default build over the same articles, in the same run right after ours: "
                    f"{llama['articles']} articles / {llama['chunks']} chunks in {llama['seconds']} s "
                    f"({llama['articles_per_s']} articles/s); store {llama['store_mb']} MB. "
                    f"Ingest ratio ours/LlamaIndex (articles/s): {s['metrics']['ingest_ratio_vs_llamaindex']:.2f}."]
    return out


def _importtime_lines(it: dict | None) -> list[str]:
    if not it:
        return []
    slowest = ", ".join(f"{name} {ms:.0f}" for name, ms in it["slowest"])
    heavy = ", ".join(it["heavy_imported"]) or "none of " + "/".join(("torch", "transformers", "sentence_transformers",
                                                                       "llama_index", "onnxruntime", "gradio"))
    return ["", f"`python -X importtime -m qa ask …`: top-level imports {it['top_level_ms']:.0f} ms in all; slowest "
                f"(cumulative ms): {slowest}; heavy packages imported: {heavy}."]


def scale_section(results: dict) -> list[str]:
    s = results.get("scale")
    if not s:
        return ["(scale not run)"]
    rows = [[r["chunks"], r["hybrid"]["p50_ms"], r["hybrid"]["p95_ms"], r["dense"]["p50_ms"], r["bm25"]["p50_ms"],
             r["llamaindex"]["p50_ms"], round(r["hybrid"]["p50_ms"] / r["llamaindex"]["p50_ms"], 2),
             r["peak_rss_mb"], r["store_mb"], r["write_s"], r["bm25_build_s"]] for r in s["rows"]]
    return ["**Distractor chunks carry RANDOM unit vectors** (real SaudiNewsNet text, chunked by the project; "
            "vectors drawn from a seeded normal and normalised), written through the Store's node/record layout "
            "in batches. BM25 is built over the real text. Latency = warm `qa.search(k=10)`, 50 XQuAD questions, "
            "fresh process per point; LlamaIndex = the same chunks in its own Chroma collection, default top-2 "
            "retrieval, same e5 query embedding; hybrid and LlamaIndex are timed in turns, question by question, "
            "after an untimed pass of each over all questions, in rounds over the questions "
            "(`bench/latency.py` paired_latency; the table's p50s are over every round's times).", "",
            table(["chunks", "hybrid p50 ms", "hybrid p95 ms", "dense p50", "bm25 p50", "LlamaIndex p50",
                   "ratio hybrid/LlamaIndex", "peak RSS MB", "store MB", "write s", "BM25 build s"], rows)]


def cleaning_section(results: dict) -> list[str]:
    c = results.get("cleaning")
    return ["```", c["table"].rstrip(), "```"] if c else ["(cleaning not run)"]


def chunk_section(results_small: dict) -> list[str]:
    names = [n for n in ("chunk-400", "chunk-600", "chunk-900") if "per_set" in results_small.get(n, {})]
    if not names:
        return ["(chunk sizes not run)"]
    keys = ["gold_in_answer", "median_words", "false_abstain", "hit@1", "mrr@10"]
    rows = [[n, s, *[results_small[n]["per_set"][s]["in_sample"].get(k) for k in keys]]
            for n in names for s in results_small[n]["per_set"]]
    return ["Small size (the first 10 articles of each set, 8 stored, 100 news), hybrid, the shipped models.", "",
            table(["condition", "set", *keys], rows)]


# -- plots ----------------------------------------------------------------------------------------------------
def plots(results: dict, folder: Path, suffix: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    points = []
    for name in ("quality-hybrid", "quality-dense", "quality-bm25"):
        if name in results:
            m = results[name]["metrics"]
            points.append((f"ours {name.split('-')[1]} (answer)", m["xquad_median_words"], m["xquad_gold_in_answer"], "o"))
    for name in ("peer-llamaindex", "peer-bm25s", "peer-bm25s-stem"):
        if name in results:
            m = results[name]["metrics"]
            points.append((name[5:] + " (top-2 text)", m["median_words"], m["recall"], "s"))
    if points:
        fig, ax = plt.subplots(figsize=(6, 4))
        for label, x, y, marker in points:
            ax.scatter([x], [y], marker=marker, label=label)
        ax.set_xlabel("words returned (median)")
        ax.set_ylabel("gold answer found (recall / gold_in_answer)")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
        made.append(_save(fig, folder / f"recall_vs_words{suffix}.png"))
    cal = results.get("calibration")
    if cal and cal.get("curve"):
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        t = [r["threshold"] for r in cal["curve"]]
        for key in ("gold_in_answer", "false_abstain", "abstain_when_absent"):
            ax1.plot(t, [r[key] for r in cal["curve"]], label=key)
        ax1.axvline(cal["metrics"]["threshold"], color="k", ls="--", lw=0.8)
        ax1.set_xlabel("abstain threshold")
        ax1.legend(fontsize=7)
        conf = cal.get("confidences") or {}
        ax2.hist([conf.get("stored", []), conf.get("held_out", [])], bins=30, label=["article stored", "held out"])
        ax2.axvline(cal["metrics"]["threshold"], color="k", ls="--", lw=0.8)
        ax2.set_xlabel("answer confidence")
        ax2.legend(fontsize=7)
        made.append(_save(fig, folder / f"calibration{suffix}.png"))
    sc = results.get("scale")
    if sc:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        n = [r["chunks"] for r in sc["rows"]]
        for key in ("hybrid", "dense", "bm25", "llamaindex"):
            ax1.plot(n, [r[key]["p50_ms"] for r in sc["rows"]], marker="o", label=f"{key} p50")
        ax1.set_xscale("log")
        ax1.set_xlabel("chunks (random vectors)")
        ax1.set_ylabel("ms")
        ax1.legend(fontsize=7)
        ax2.plot(n, [r["peak_rss_mb"] for r in sc["rows"]], marker="o")
        ax2.set_xscale("log")
        ax2.set_xlabel("chunks")
        ax2.set_ylabel("peak RSS MB (query process)")
        made.append(_save(fig, folder / f"scale{suffix}.png"))
    sp = results.get("speed")
    if sp:
        fig, ax = plt.subplots(figsize=(6, 3))
        stages = sp["ingest"]["stages"]
        ax.barh(list(stages), list(stages.values()))
        ax.set_xlabel("seconds")
        ax.set_title("ingest: where the time goes")
        made.append(_save(fig, folder / f"ingest_stages{suffix}.png"))
    return made


def _save(fig, path: Path) -> str:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path.name


# -- the report ------------------------------------------------------------------------------------------------
def write(conditions: list[dict], size: str, root: Path) -> bool:
    """Write report(.md/.json) for ``size``; returns whether the gate passed."""
    from .speed import code_state, machine, versions

    saved = load(root / size)
    old = stale(saved)  # checked below, kept out of the sections until rerun
    results = fresh(saved)
    small = results if size == "small" else fresh(load(root / "small"))
    suffix = "" if size == "full" else f"-{size}"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    digest = data_hash()
    gate_rows = gate(saved, baseline, digest, size)  # a stale result's floors are held too
    gate_ok = all(r["status"] in ("OK", "missing") for r in gate_rows)
    made = plots(results, root, suffix)
    info = {"machine": machine(), "versions": versions(), "code": code_state(), "size": size, "data_sha256": digest,
            "generated": time.strftime("%Y-%m-%d %H:%M:%S")}
    run_total = sum(r.get("run_seconds", 0) for r in saved.values())
    md = [f"# Benchmark report ({size})", "",
          f"Generated {info['generated']} on {info['machine']['cpus']} cores, {info['machine']['memory_gb']} GB "
          f"({info['machine']['platform']}, Python {info['machine']['python']}). Data sha256 {digest[:16]}…. "
          "Each condition's figures are from its own run: the checks table says at which commit, on which day "
          "and (where recorded) in which model precision.", "",
          "Versions where it was rendered: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v), "",
          f"Rendered at git {info['code']['git_head']} (index/+qa/ sha256 {info['code']['index_qa_sha256']}).", "",
          f"Sum of condition run times: {run_total:.0f} s (cached stores and run files are reused; "
          "see each row's seconds).", "",
          "## Checks", "", checks_table(conditions, saved, size), "",
          *([f"Saved before their figures took today's layout, left out of the sections below until rerun: "
             + ", ".join(f"{n} ({saved[n].get('finished', '?')[:10]})" for n in old), ""] if old else []),
          "## Answers per QA set (XQuAD-ar, ARCD-train)", "", *answers_section(results), "",
          "## The sentence scorer", "", *scorer_section(results), "",
          "## Abstention", "", *calibration_section(results, size), "",
          "## Dated news QA (SaudiNewsNet, bench/newsqa.py)", "", *newsqa_section(results), "",
          "## Retrieval modes (in sample)", "", *modes_section(results), "",
          "## Peers (same corpus, same machine, same run)", "", peers_table(results), "",
          "Ours is scored on its composed answer; peers on the text they retrieve (they compose nothing). "
          "BM25 peers index the LlamaIndex default chunks (SentenceSplitter, 1024 cl100k tokens, overlap 200).", "",
          "![recall vs words](recall_vs_words{}.png)".format(suffix), "",
          "## Speed and cost", "", *speed_section(results), "",
          "## Scale", "", *scale_section(results), "",
          "## Chunk size", "", *chunk_section(small), "",
          "## Cleaning (bench/cleaning.py)", "", *cleaning_section(results), ""]
    if gate_rows:
        md += [f"## Quality gate (bench/baseline.json, {size} floors)", "",
               table(["floor", "measured", "floor value", "status"],
                     [[r["floor"], r["measured"], r["floor_value"], r["status"]] for r in gate_rows]), ""]
    md += ["Plots: " + ", ".join(made)]
    name = "report" if size == "full" else f"report-{size}"
    (root / f"{name}.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (root / f"{name}.json").write_text(json.dumps({**info, "gate": gate_rows, "results": saved},
                                                  ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {root / (name + '.md')}; gate {'passed' if gate_ok else 'FAILED'}")
    return gate_ok
