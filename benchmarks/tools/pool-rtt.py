#!/usr/bin/env python3
"""Pools the latency probe's round trips of several relay-vs-coturn work directories.

    benchmarks/tools/pool-rtt.py /tmp/relay-vs-coturn.*

Each measured run leaves SCENARIO-SERVER-N.rtt.window in its work directory: the probe's round
trips (microseconds) that ended inside the run's 10-90 % window. A single run's p99 moves by a
factor of two between runs of one server, so this prints, per scenario, Tafel's and coturn's
p50/p90/p99 over all given directories together, and in how many directories (each one
interleaved invocation of the script) Tafel's pooled p50 and p99 were at most coturn's.
"""
import glob
import os
import sys

SERVERS = ("tafel", "coturn")


def quantile(sorted_values, q):
    """The smallest value with at least q of the values at or below it (as the script computes)."""
    n = len(sorted_values)
    return sorted_values[max(0, -(-n * q // 100) - 1)]


def load(directory, scenario, server):
    values = []
    for path in glob.glob(os.path.join(directory, f"{scenario}-{server}-*.rtt.window")):
        with open(path) as f:
            values.extend(int(line) for line in f if line.strip())
    values.sort()
    return values


def main(directories):
    scenarios = sorted(
        {
            os.path.basename(p).rsplit("-", 2)[0]
            for d in directories
            for p in glob.glob(os.path.join(d, "*-tafel-*.rtt.window"))
        }
    )
    if not scenarios:
        print("no *.rtt.window files in the given directories", file=sys.stderr)
        return 1
    print("scenario | dirs | Tafel p50/p90/p99 µs (round trips) | coturn p50/p90/p99 µs (round trips)"
          " | p50, p99 vs coturn | dirs where Tafel's p50, p99 <= coturn's")
    for scenario in scenarios:
        pooled = {s: [] for s in SERVERS}
        pairs = p50_wins = p99_wins = 0
        for d in directories:
            per = {s: load(d, scenario, s) for s in SERVERS}
            for s in SERVERS:
                pooled[s].extend(per[s])
            if per["tafel"] and per["coturn"]:
                pairs += 1
                p50_wins += quantile(per["tafel"], 50) <= quantile(per["coturn"], 50)
                p99_wins += quantile(per["tafel"], 99) <= quantile(per["coturn"], 99)
        if not pooled["tafel"] or not pooled["coturn"]:
            continue
        t, c = sorted(pooled["tafel"]), sorted(pooled["coturn"])
        cells = [f"{quantile(v, 50)}/{quantile(v, 90)}/{quantile(v, 99)} ({len(v)})" for v in (t, c)]
        ratios = f"{quantile(t, 50) / quantile(c, 50):.2f}, {quantile(t, 99) / quantile(c, 99):.2f}"
        print(f"{scenario} | {pairs} | {cells[0]} | {cells[1]} | {ratios} | {p50_wins}, {p99_wins} of {pairs}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: pool-rtt.py WORKDIR...", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
