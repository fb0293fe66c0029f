"""The peers' failed checks in one directory that no rampart rule declares
its equivalent: what bench/iac.sh prints after its table.

    python3 bench/peer_gaps.py DIR RULES.json CHECKOV.json TRIVY.json

RULES.json is `rampart policy list --format json`. Either peer's output
may be missing or unreadable (that tool is then left out)."""

import collections
import json
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    directory, rules, checkov, trivy = sys.argv[1:5]
    covered = set()
    for pack in load(rules) or []:
        for rule in pack.get("rules", []):
            for peer in rule.get("equivalents", []):
                covered.add((peer["tool"], peer["id"].upper()))
    failed = collections.Counter()
    titles = {}
    runs = load(checkov)
    for run in runs if isinstance(runs, list) else [runs] if runs else []:
        if not isinstance(run, dict):
            continue
        for check in run.get("results", {}).get("failed_checks", []):
            key = ("checkov", check["check_id"].upper())
            failed[key] += 1
            titles[key] = check.get("check_name", "")
    report = load(trivy) or {}
    for result in report.get("Results") or []:
        for m in result.get("Misconfigurations") or []:
            if m.get("Status") != "FAIL":
                continue
            check = (m.get("ID") or "").upper().removeprefix("AVD-")
            key = ("trivy", check)
            failed[key] += 1
            titles[key] = m.get("Title", "")
    gaps = [(n, key) for key, n in failed.items() if key not in covered]
    matched = sum(n for key, n in failed.items() if key in covered)
    total = sum(failed.values())
    print(f"{directory}: {total} peer failures, {matched} of checks rampart has, "
          f"{len(gaps)} checks without an equivalent")
    for n, (tool, check) in sorted(gaps, key=lambda g: (-g[0], g[1])):
        print(f"  {n:4d}  {tool:8s} {check:14s} {titles[(tool, check)][:90]}")


main()
