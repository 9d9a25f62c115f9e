"""Reproduction checks (pyserini's): each condition's measured metrics against
the expected values and targets in ``bench/conditions.yaml``.  The report
holds saved results against the conditions as they are when it renders, so a
refit's new expected value is checked without rerunning the condition.
"""

from __future__ import annotations

from .report_tables import table

OK_DELTA = 5e-4  # |measured - expected| within this: OK (pyserini's band)


def verdict(measured, expected) -> str:
    """OK / OKish / FAIL. ``expected`` is a number (OK within 5e-4, OKish
    within ``tolerance``) or a target ``{min: x}`` / ``{max: x}``."""
    if measured is None:
        return "FAIL"
    if isinstance(expected, dict):
        if "min" in expected:
            return "OK" if measured >= expected["min"] else "FAIL"
        return "OK" if measured <= expected["max"] else "FAIL"
    return "OK" if abs(measured - expected) <= OK_DELTA else "OKish"


def check(cond: dict, result: dict, size: str) -> list[tuple[str, float, object, str]]:
    expected = (cond.get("expected") or {}).get(cond.get("size", size)) or {}
    tolerance = float(cond.get("tolerance", 0.02))
    rows = []
    for metric, want in expected.items():
        got = result["metrics"].get(metric)
        status = verdict(got, want)
        if status == "OKish" and abs(got - want) > tolerance:
            status = "FAIL"
        rows.append((metric, got, want, status))
    return rows


# What a result of each kind holds since the figures were given per QA set;
# one saved before has none of it and cannot fill the report's sections.
LAYOUT_KEYS = {"quality": "per_set", "calibration": "model"}


def stale(results: dict) -> list[str]:
    """The saved results in a layout older than the report reads."""
    return [name for name, r in results.items() if r.get("kind") in LAYOUT_KEYS and LAYOUT_KEYS[r["kind"]] not in r]


def fresh(results: dict) -> dict:
    """``results`` without the stale ones."""
    old = stale(results)
    return {name: r for name, r in results.items() if name not in old}


def checks_table(conditions: list[dict], results: dict, size: str) -> str:
    """Each saved result held against its condition's expectations as they
    are now (not as they were when it ran: a refit moves them)."""
    rows = []
    for cond in conditions:
        r = results.get(cond["name"])
        if r is None:
            rows.append([cond["name"], "`" + cond["command"].format(size="…") + "`", "not run", "", "", "–", ""])
            continue
        held = check(cond, r, size) or [("(no expectation)", None, "", "–")]
        for k, (metric, measured, expected, status) in enumerate(held):
            last = k == len(held) - 1  # the condition's last row says how long it ran, and when
            rows.append([cond["name"], f"`{r['command']}`", metric, measured, expected,
                         f"{status} ({r['run_seconds']:.0f}s)" if last else status, ran_at(r) if last else ""])
    return table(["condition", "command", "metric", "measured", "expected", "status", "ran at"], rows)


def ran_at(result: dict) -> str:
    """The commit, day and model precision a result was measured with (the
    report may be rendered later, at another commit, on another CPU)."""
    code = (result.get("code") or {}).get("git_head", "?")
    parts = [code, (result.get("finished") or "")[:10], result.get("precision") or ""]
    return " ".join(p for p in parts if p)
