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

Target 2 of issue 6 holds a scenario to coturn's round trips only where coturn lost under 0.1 %,
so a directory's scenario counts only when its results.tsv shows coturn's runs losing less than
that (summed over the runs); the others are left out and counted. Over the directories that count,
the per-directory log(p50 ratio), and likewise log(p99 ratio), gives a 95 % interval for the
geometric mean (Student's t; each invocation is one sample, since the machine moves a whole
invocation at once) and a verdict: "no worse" when the interval lies at or below 1, "worse" when
above 1, otherwise "not shown".
"""
import glob
import math
import os
import statistics
import sys

SERVERS = ("tafel", "coturn")
LOSS_LIMIT = 0.001  # target 2: only where coturn lost under 0.1 %

# Student's t, two-sided 95 % (0.975 quantile), by degrees of freedom; between rows the lower row
# (the wider interval) is used.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
        17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
        25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
        120: 1.980}


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


def runs(directory, scenario):
    """Per server, the (relayed datagrams/s, lost, sent) of each run in results.tsv; None without it."""
    per = {s: [] for s in SERVERS}
    try:
        with open(os.path.join(directory, "results.tsv")) as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 6 and cols[0] == scenario and cols[1] in per:
                    try:
                        row = (float(cols[4]), int(cols[5]), int(cols[6]))
                    except ValueError:
                        row = (math.nan, -1, -1)
                    per[cols[1]].append(row)
    except OSError:
        return None
    return per


def rates(per):
    """Tafel's and coturn's median relayed datagrams/s over their runs, or None."""
    if per is None:
        return None
    # nan: a run without a measured window
    rate = {s: [r for r, _, _ in per[s] if math.isfinite(r)] for s in SERVERS}
    if not rate["tafel"] or not rate["coturn"] or min(rate["tafel"] + rate["coturn"]) <= 0:
        return None
    return statistics.median(rate["tafel"]), statistics.median(rate["coturn"])


def loss(per, server):
    """A server's lost/sent over its runs that counted them (-1: a run that measured nothing), or
    None when none did."""
    counted = [(lost, sent) for _, lost, sent in per[server] if sent > 0 and lost >= 0] if per else []
    if not counted:
        return None
    return sum(lost for lost, _ in counted) / sum(sent for _, sent in counted)


def interval(ratios):
    """95 % interval of the geometric mean of ratios (Student's t on their logs), or None."""
    if len(ratios) < 2:
        return None
    logs = [math.log(r) for r in ratios]
    df = len(logs) - 1
    t = T975[max(k for k in T975 if k <= df)]
    half = t * statistics.stdev(logs) / math.sqrt(len(logs))
    mean = statistics.fmean(logs)
    return math.exp(mean - half), math.exp(mean + half)


def judged(ratios):
    """The interval of ratios (Tafel over coturn) and what it shows: "no worse", "worse" or "not shown"."""
    bounds = interval(ratios)
    if bounds is None:
        return "too few"
    low, high = bounds
    shown = "no worse" if high <= 1 else "worse" if low > 1 else "not shown"
    return f"{low:.2f}..{high:.2f}: {shown}"


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
        " | p50 vs coturn, 95 % interval: verdict | p99 likewise"
        " | left out: coturn lost >= 0.1 %, no loss figures"
        " | Tafel's largest loss"
    ]
    points = []
    for scenario in scenarios:
        pooled = {s: [] for s in SERVERS}
        pairs = p50_wins = p99_wins = lossy = unknown = 0
        p50_ratios, p99_ratios, rate_ratios, tafel_losses = [], [], [], []
        for d in directories:
            per = {s: load(d, scenario, s) for s in SERVERS}
            if not per["tafel"] and not per["coturn"]:
                continue
            measured = runs(d, scenario)
            coturn_loss, tafel_loss = loss(measured, "coturn"), loss(measured, "tafel")
            if coturn_loss is None or tafel_loss is None:
                unknown += 1
                continue
            if coturn_loss >= LOSS_LIMIT:
                lossy += 1
                continue
            tafel_losses.append(tafel_loss)
            for s in SERVERS:
                pooled[s].extend(per[s])
            if per["tafel"] and per["coturn"]:
                pairs += 1
                t50, c50 = quantile(per["tafel"], 50), quantile(per["coturn"], 50)
                p50_wins += t50 <= c50
                t99, c99 = quantile(per["tafel"], 99), quantile(per["coturn"], 99)
                p99_wins += t99 <= c99
                p50_ratios.append(t50 / c50)
                p99_ratios.append(t99 / c99)
                r = rates(measured)
                if r is not None:
                    rate_ratios.append(r[0] / r[1])
                    points.append((rate_ratios[-1], p50_ratios[-1]))
        if not pooled["tafel"] or not pooled["coturn"]:
            out.append(f"{scenario} | 0 | no directory counts: {lossy} left out where coturn lost >= 0.1 %,"
                       f" {unknown} without loss figures in results.tsv (or one server without round trips)")
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
        worst = max(tafel_losses)
        worst_cell = f"{100 * worst:.3f} %" + (" (over 0.1 %)" if worst >= LOSS_LIMIT else "")
        out.append(f"{scenario} | {pairs} | {cells[0]} | {cells[1]} | {ratios} | {p50_wins}, {p99_wins} of {pairs}"
                   f" | {paired} | {rate_cell} | {judged(p50_ratios)} | {judged(p99_ratios)} | {lossy}, {unknown}"
                   f" | {worst_cell}")
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
