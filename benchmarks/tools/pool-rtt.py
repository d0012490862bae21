#!/usr/bin/env python3
"""Pools the latency probe's round trips of several relay-vs-coturn work directories.

    benchmarks/tools/pool-rtt.py /tmp/relay-vs-coturn.*

Each measured run leaves SCENARIO-SERVER-N.rtt.window in its work directory: the probe's round
trips (microseconds) that ended inside the run's 10-90 % window. A single run's p99 moves by a
factor of two between runs of one server, so this prints, per scenario, Tafel's and coturn's
p50/p90/p99 over all given directories together, and in how many directories (each one
interleaved invocation of the script) Tafel's pooled p50 and p99 were at most coturn's.

Pooling mixes invocations, and each invocation shifts both servers' round trips by tens of
percent; so it also prints the paired view: per directory Tafel's p50 over coturn's, and Tafel's
relayed rate over coturn's (medians of the runs in results.tsv; at full rate uclient sends as fast
as each server lets it, so the two servers are measured at loads of their own), as geometric means
over the directories. Last, over every scenario and directory with both servers, a least-squares
line through log(p50 ratio) against log(rate ratio) and the p50 ratio it gives at equal rates.
"""
import glob
import math
import os
import statistics
import sys

SERVERS = ("tafel", "coturn")


def quantile(sorted_values, q):
    """The smallest value with at least q of the values at or below it (as the script computes)."""
    n = len(sorted_values)
    return sorted_values[max(0, -(-n * q // 100) - 1)]


class BadWindowFile(Exception):
    """A *.rtt.window line that is not a positive whole number of microseconds (a damaged file)."""


def load(directory, scenario, server):
    values = []
    for path in glob.glob(os.path.join(directory, f"{scenario}-{server}-*.rtt.window")):
        with open(path) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    value = int(line)
                except ValueError:
                    value = 0
                if value <= 0:  # a relayed round trip takes some microseconds at least
                    raise BadWindowFile(
                        f"{path}:{number}: {line.strip()!r} is not a round trip in whole"
                        " microseconds (expected a positive number per line)"
                    )
                values.append(value)
    values.sort()
    return values


def rates(directory, scenario):
    """Tafel's and coturn's median relayed datagrams/s over the runs in results.tsv, or None."""
    per = {s: [] for s in SERVERS}
    try:
        with open(os.path.join(directory, "results.tsv")) as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 4 and cols[0] == scenario and cols[1] in per:
                    rate = float(cols[4])
                    if math.isfinite(rate):  # nan: a run without a measured window
                        per[cols[1]].append(rate)
    except (OSError, ValueError):
        return None
    if not per["tafel"] or not per["coturn"] or min(per["tafel"] + per["coturn"]) <= 0:
        return None
    return statistics.median(per["tafel"]), statistics.median(per["coturn"])


def geomean(values):
    return math.exp(statistics.fmean(math.log(v) for v in values))


def fit(points):
    """Least squares of log(p50 ratio) on log(rate ratio): (slope, r, p50 ratio at equal rates)."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    return slope, sxy / math.sqrt(sxx * syy), math.exp(my - slope * mx)


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
    # Everything is read before anything is printed: a damaged file ends the run with its error
    # alone, not after half a table.
    out = [
        "scenario | dirs | Tafel p50/p90/p99 µs (round trips) | coturn p50/p90/p99 µs (round trips)"
        " | p50, p99 vs coturn | dirs where Tafel's p50, p99 <= coturn's"
        " | per dir: p50 vs coturn, geometric mean (min..max) | per dir: rate vs coturn, geometric mean"
    ]
    points = []
    for scenario in scenarios:
        pooled = {s: [] for s in SERVERS}
        pairs = p50_wins = p99_wins = 0
        p50_ratios, rate_ratios = [], []
        for d in directories:
            per = {s: load(d, scenario, s) for s in SERVERS}
            for s in SERVERS:
                pooled[s].extend(per[s])
            if per["tafel"] and per["coturn"]:
                pairs += 1
                t50, c50 = quantile(per["tafel"], 50), quantile(per["coturn"], 50)
                p50_wins += t50 <= c50
                p99_wins += quantile(per["tafel"], 99) <= quantile(per["coturn"], 99)
                p50_ratios.append(t50 / c50)
                r = rates(d, scenario)
                if r is not None:
                    rate_ratios.append(r[0] / r[1])
                    points.append((rate_ratios[-1], p50_ratios[-1]))
        if not pooled["tafel"] or not pooled["coturn"]:
            continue
        t, c = sorted(pooled["tafel"]), sorted(pooled["coturn"])
        cells = [f"{quantile(v, 50)}/{quantile(v, 90)}/{quantile(v, 99)} ({len(v)})" for v in (t, c)]
        ratios = f"{quantile(t, 50) / quantile(c, 50):.2f}, {quantile(t, 99) / quantile(c, 99):.2f}"
        paired = (
            f"{geomean(p50_ratios):.2f} ({min(p50_ratios):.2f}..{max(p50_ratios):.2f})"
            if p50_ratios
            else "n/a"
        )
        rate_cell = f"{geomean(rate_ratios):.2f}" if rate_ratios else "n/a"
        out.append(f"{scenario} | {pairs} | {cells[0]} | {cells[1]} | {ratios} | {p50_wins}, {p99_wins} of {pairs}"
                   f" | {paired} | {rate_cell}")
    line = fit(points) if len(points) >= 3 else None
    if line is not None:
        slope, r, at_equal = line
        out.append(f"all scenarios, {len(points)} (scenario, dir) pairs: log(p50 ratio) = {slope:.2f} x"
                   f" log(rate ratio) + c, r = {r:.2f}; p50 vs coturn at equal rates {at_equal:.2f}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: pool-rtt.py WORKDIR...", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1:]))
    except BadWindowFile as e:
        print(f"pool-rtt.py: {e}", file=sys.stderr)
        sys.exit(2)
