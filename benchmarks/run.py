"""graphkit's scale benchmark, side by side with a naive baseline, in one run.

    python benchmarks/run.py                      # 200,000 entities, 1,000,000 edges
    python benchmarks/run.py --entities 20000 --edges 100000 --runs 3   # a quick look

It generates seeded synthetic data (benchmarks/generate.py), then measures: validate +
load + build; the cache build; cold whole-process CLI times for ``path``, ``flow``,
``show``, ``search`` (a name, a typo's suggestions, a pinyin spelling) and ``--help`` from
a built cache (median of several runs, with peak memory);
warm query latencies (each group of queries in a process of its own that opens the store,
as the command line does, so no step holds more than one command would); and writing a
10,000-node HTML page, then opening it in headless Chromium (Debian's, when installed).
Every process it starts runs this checkout's graphkit (``PYTHONPATH``), not whichever one
is installed.  A step that cannot run at the size asked is still a row, saying why.

Two peers are measured on the same data in the same run.  The embedded graph database
(LadybugDB, the maintained successor of Kùzu: ``pip install ladybug``, an optional benchmark
dependency; benchmarks/peer.py) is what an analyst would reach for instead: its load, cold
``path``, ``show`` and ``neighbors`` as whole processes run interleaved with graphkit's
(so both see the same machine load), and its warm shortest path.  The naive baseline is
what a user scripting this by hand would do: stdlib ``json`` plus building the NetworkX
graph on every call.  Absolute times vary between machines (and on a shared one, between
minutes), so the table gives ratios measured in the same run.  Results are printed and
written to ``benchmarks/results/DATE.md`` (``DATE-2.md`` if taken, or ``--out``), with the
commit measured, the start and end times and the load average seen.

    python benchmarks/run.py --edges 10000000 --entities 2000000 --data DIR --work DIR \
        --out benchmarks/results/2026-11-30-run-10m.md    # 10M edges, existing data
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import cold  # noqa: E402
import peer  # noqa: E402
from generate import generate  # noqa: E402
from render_large import in_browser  # noqa: E402

# Naive baseline: a person's own script, run as a fresh process each time.
NAIVE_PATH = """
import json, sys, pathlib, networkx as nx
data = pathlib.Path(sys.argv[1])
graph = nx.MultiDiGraph()
for entity in json.loads((data / "entities.json").read_text())["entities"]:
    graph.add_node(entity["id"], **entity)
for path in sorted(data.glob("*.json")):
    if path.name in ("entities.json", "sources.json", "cohorts.json"):
        continue
    document = json.loads(path.read_text())
    for edge in document["edges"]:
        graph.add_edge(edge["source"], edge["target"], relation=document["relation"], **edge)
print(nx.shortest_path(graph.to_undirected(as_view=True), sys.argv[2], sys.argv[3]))
"""


LOADS: list[float] = []  # the 1-minute load average, sampled at every row
LIMIT = resource.getrlimit(resource.RLIMIT_AS)[0]  # as started (the browser's step lifts it)


def run_process(command: list[str], env: dict) -> tuple[float, int, int]:
    """Wall time, peak resident memory (KiB) and exit status of one whole process (measured
    by :func:`cold.run`, which forks it from a small launcher)."""
    seconds, _cpu, peak, status = cold.run(command, env)
    return seconds, peak, status


def median_process(command: list[str], env: dict, runs: int, expect=(0, 1)) -> dict:
    """Median wall and CPU (user + system) seconds, and the largest peak memory, of
    ``runs`` runs of one whole process; ``{"failed": why}`` if a run exits otherwise than
    ``expect`` says (the table says so, and the benchmark goes on)."""
    results = []
    for _ in range(runs):
        results.append(cold.run(command, env))
        if results[-1][3] not in expect:
            return failure(results[-1])
    return {"seconds": statistics.median(r[0] for r in results),
            "cpu": statistics.median(r[1] for r in results),
            "peak_mib": max(r[2] for r in results) / 1024}


def failure(result: tuple) -> dict:
    """What a failed run of :func:`cold.run` says: its exit status (or signal) after so
    long, with so much memory."""
    wall, _cpu, peak, status = result
    how = f"killed by signal {-status}" if status < 0 else f"exit {status}"
    return {"failed": f"{how} after {wall:.1f} s, {peak / 1024:.0f} MiB peak"}


def measured_text(measured: dict) -> str:
    """``1.07 s (0.31 s CPU), 148 MiB peak``: wall, then CPU time (on a shared machine the
    wall time includes the queue)."""
    if "failed" in measured:
        return f"**failed**: {measured['failed']}"
    return (f"{measured['seconds']:.2f} s ({measured['cpu']:.2f} s CPU), "
            f"{measured['peak_mib']:.0f} MiB peak")


def interleaved(commands: dict[str, list[str]], env: dict, runs: int) -> dict[str, dict]:
    """:func:`median_process` of each command, their runs taken in turn (A B A B ...), so
    that a busy machine slows them alike."""
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(cold.run(command, env))
    out = {}
    for name, measured in results.items():
        failed = [result for result in measured if result[3] not in (0, 1)]
        if failed:
            out[name] = failure(failed[0])
            continue
        out[name] = {"seconds": statistics.median(r[0] for r in measured),
                     "cpu": statistics.median(r[1] for r in measured),
                     "peak_mib": max(r[2] for r in measured) / 1024}
    return out


def ratio(ours: float, theirs: float, what: str = "") -> str:
    """How graphkit compares: ``2.0× faster`` or ``1.5× slower`` (``what`` replaces the
    adjectives, e.g. ``less memory``)."""
    if ours <= theirs:
        return f"{theirs / ours:.1f}× {what or 'faster'}"
    return f"{ours / theirs:.1f}× {'more' if what else 'slower'}{' memory' if what else ''}"


def timed(function, repeat: int = 1) -> tuple[float, object]:
    """Median seconds of ``function()`` over ``repeat`` calls, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        result = None  # freeing the last answer is not part of the next one
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per cold measurement")
    parser.add_argument("--html-nodes", type=int, default=10_000)
    parser.add_argument("--html-edges", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument("--no-peer", action="store_true",
                        help="skip the embedded graph database (LadybugDB)")
    parser.add_argument("--no-html", action="store_true", help="skip the HTML page")
    parser.add_argument("--spark", action="store_true",
                        help="also count talent flow with --engine spark (needs pyspark and "
                             "Java) from the Parquet export, beside the local engine")
    parser.add_argument("--data", type=Path,
                        help="an existing dataset folder instead of generating one")
    parser.add_argument("--no-naive", action="store_true",
                        help="skip everything that builds the whole NetworkX graph (the naive "
                             "baseline, load + build, NetworkX's all_shortest_paths): about "
                             "1.7 GB per million edges, so the default above 3M edges")
    parser.add_argument("--work", type=Path,
                        help="the folder for the cache, the peer's database and generated "
                             "data (kept; by default a temporary folder, removed at the end)")
    parser.add_argument("--out", type=Path, help="the report's file, a new one (default "
                        "benchmarks/results/DATE.md, or DATE-2.md and so on if taken)")
    parser.add_argument("--warm", help=argparse.SUPPRESS)  # one group of warm queries
    arguments = parser.parse_args()
    if arguments.warm:
        return warm_group(json.loads(arguments.warm))
    if arguments.out is None:  # the day's first free name: never an earlier report
        today = datetime.date.today().isoformat()
        arguments.out = next(
            out for number in range(1, 1000)
            if not (out := HERE / "results" / f"{today}{'' if number == 1 else f'-{number}'}.md")
            .exists())
    elif arguments.out.exists() and not arguments.no_save:
        parser.error(f"{arguments.out} exists: give a new file to --out")
    naive_too = not arguments.no_naive and arguments.edges <= 3_000_000

    from graphkit.data.dataset import load_dataset
    from graphkit.query.movetable import TABLE_FILE
    from graphkit.store.cache import open_store
    from graphkit.store.graph import build_graph

    started = datetime.datetime.now(datetime.UTC)
    temporary = arguments.work is None
    work = (Path(tempfile.mkdtemp(prefix="graphkit-bench-")) if temporary
            else arguments.work.resolve())
    work.mkdir(parents=True, exist_ok=True)
    # Every process started below runs this checkout's graphkit, whatever the working
    # folder or the installed copy.
    path = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "GRAPHKIT_CACHE": str(work / "cache"), "PYTHONPATH": path}
    os.environ["GRAPHKIT_CACHE"] = env["GRAPHKIT_CACHE"]
    rows: list[tuple[str, str, str, str, str]] = []

    def row(what: str, graphkit: str, baseline: str = "", ratio: str = "",
            database: str = "") -> None:
        LOADS.append(os.getloadavg()[0])
        rows.append((what, graphkit, database, baseline, ratio))
        print(f"  {what}: {graphkit}" + (f" | graph DB {database}" if database else "")
              + (f" | naive {baseline}" if baseline else "") + (f" | {ratio}" if ratio else ""),
              flush=True)

    if arguments.data:
        data = arguments.data.resolve()
        counts = None  # counted from the store once built (reading every file here would
        # hold each one whole in this process: gigabytes at 10M edges)
    else:
        print(f"generating {arguments.edges:,} edges, {arguments.entities:,} entities ...",
              flush=True)
        counts = generate(work / "big", arguments.entities, arguments.edges, arguments.seed)
        data = Path(counts["directory"])
    size = sum(path.stat().st_size for path in data.glob("*.json")) / 2**20
    if arguments.data:  # about 216 MiB of JSON per million edges
        naive_too = naive_too and size <= 700

    gc.collect()
    graph = dataset = None
    whole_graph = ("not measured: the whole NetworkX graph takes about 1.7 GB per million "
                   "edges (measured up to 3M), so it is built only at 3M edges or fewer")
    if naive_too:
        seconds, dataset = timed(lambda: load_dataset(data))
        build_seconds, graph = timed(lambda: build_graph(dataset))
        row("validate + load + build the NetworkX graph", f"{seconds + build_seconds:.1f} s")
    else:
        row("validate + load + build the NetworkX graph", whole_graph)
    measured = median_process(
        [sys.executable, "-c", "import sys; from graphkit.store.cache import open_store; "
         "open_store(sys.argv[1])", str(data)], env, 1)
    row("cache build (validate + compile, whole process; peak of the largest of its "
        "processes)", measured_text(measured))
    store = open_store(data)
    if counts is None:
        counts = {"entities": len(store.ids), "edges": store.edge_count}
    row("data", f"{counts['entities']:,} entities, {counts['edges']:,} edges, {size:.0f} MiB "
        "of JSON")
    rows.insert(0, rows.pop())

    with_peer = not arguments.no_peer and peer.available()
    database = work / "peer" / "graph.lbdb"
    if with_peer:
        shutil.rmtree(database.parent, ignore_errors=True)
        database.parent.mkdir(parents=True)
        measured = median_process([sys.executable, "-c", peer.WRITE, str(data),
                                   str(database.parent)], env, 1, expect=(0,))
        row("embedded graph DB: its input, two CSV files written from the JSON (whole "
            "process)", "", database=measured_text(measured))
        measured = median_process([sys.executable, "-c", peer.LOAD, str(database)], env, 1,
                                  expect=(0,))
        failed = database.parent / "load-error.txt"
        if "failed" in measured or failed.exists():
            # (a crash writes no error: the database is then partly loaded, and its answers
            # would be measured on a part of the data, so it is left out from here on)
            with_peer = False
            why = failed.read_text() if failed.exists() else measured["failed"]
            limited = ("" if LIMIT == resource.RLIM_INFINITY else
                       f", with the address space limited to {LIMIT / 2**30:.1f} GiB")
            row("embedded graph DB: load", "",
                database=f"**failed**: {why}{limited}; not measured further")
        else:
            row("embedded graph DB: load (COPY FROM the two CSV files, whole process; no "
                "validation)", "", database=measured_text(measured))
    elif not arguments.no_peer:
        row("embedded graph DB", "not measured: `pip install ladybug` (LadybugDB)")

    ends = ("person-1", "company-5")
    cli = [sys.executable, "-m", "graphkit", "--data", str(data)]
    if with_peer:
        for name, command, asked in (("path A B", ["path", *ends], ("path", *ends)),
                                     ("show", ["show", ends[1]], ("show", ends[1])),
                                     ("neighbors --depth 2", ["neighbors", ends[1], "--depth",
                                                              "2"], ("neighbors", ends[1]))):
            measured = interleaved(
                {"graphkit": cli + command,
                 "peer": [sys.executable, "-c", peer.query_script(asked[0]), str(database),
                          *asked[1:]]}, env, arguments.runs)
            ours, theirs = measured["graphkit"], measured["peer"]
            row(f"cold `{name}`, interleaved with the graph DB (median of {arguments.runs})",
                measured_text(ours),
                ratio="" if "failed" in ours or "failed" in theirs else
                      f"{ratio(ours['seconds'], theirs['seconds'])}, "
                      f"{ratio(ours['peak_mib'], theirs['peak_mib'], 'less memory')}",
                database=measured_text(theirs))
    naive = (median_process([sys.executable, "-c", NAIVE_PATH, str(data), *ends], env,
                            max(1, min(3, arguments.runs))) if naive_too else None)
    # The first flow after a data change infers the moves and writes the move table.
    (store.folder / TABLE_FILE).unlink(missing_ok=True)
    measured = median_process(cli + ["flow", "--top", "20"], env, 1)
    row("first `graphkit flow` after a data change (works out the moves once, writes the "
        "move table)", measured_text(measured))
    for name, command in (("path A B", ["path", *ends]), ("show", ["show", ends[1]]),
                          ("flow", ["flow"]), ("flow --json", ["flow", "--json"]),
                          ("stats", ["stats"]), ("--help", ["--help"])):
        runs = (arguments.runs if name not in ("flow", "flow --json", "stats")
                else max(1, min(3, arguments.runs)))
        measured = median_process(cli + command, env, runs)
        if name == "path A B" and naive is not None and "failed" not in naive | measured:
            row(f"cold `graphkit {name}` (median of {runs})", measured_text(measured),
                f"{naive['seconds']:.1f} s, {naive['peak_mib']:.0f} MiB",
                f"{naive['seconds'] / measured['seconds']:.0f}× faster than naive")
        elif name == "path A B":
            row(f"cold `graphkit {name}` (median of {runs})", measured_text(measured),
                measured_text(naive) if naive else
                "not measured: it builds the whole NetworkX graph (see above)")
        else:
            row(f"cold `graphkit {name}` (median of {runs})", measured_text(measured))
    # Names: a search, a typo's "did you mean" (exit 2) and a pinyin spelling, each cold.
    # (person-12345 from 62,000 entities up, as at 1M and 10M edges; a smaller one below)
    person = next(ident for ident in ("person-12345", "person-1234", "person-123", "person-1")
                  if store.number(ident) is not None)
    name = store.entity(person)["name"]
    typo = name[:-3] + name[-2:]
    alias = store.entity(person)["aliases"][0]
    from pypinyin import lazy_pinyin

    spelled = " ".join(lazy_pinyin(alias))
    for what, command, expect in (
            (f"search {name!r}", ["search", name], (0,)),
            (f"show {typo!r} (a typo: exit 2 with suggestions)", ["show", typo], (2,)),
            (f"show {spelled!r} (pinyin of {alias})", ["show", spelled], (0,))):
        measured = median_process(cli + command, env, arguments.runs, expect=expect)
        row(f"cold `graphkit {what}` (median of {arguments.runs})", measured_text(measured))
    error = median_process(cli + ["path", "--bogus"], env, arguments.runs, expect=(2,))
    row("usage error (median)", measured_text(error))
    if arguments.spark:
        spark_rows(row, cli, env, work)

    # Warm queries: each group in a process of its own that opens the store and asks again
    # and again, so that this process holds only the store and no group holds another's
    # memory (at 10M edges the name index, the move table and the statistics each take
    # gigabytes).
    def warm(group: str, **asked) -> dict | None:
        command = [sys.executable, str(HERE / "run.py"), "--warm",
                   json.dumps({"group": group, "data": str(data), "ends": ends, **asked})]
        answer = subprocess.run(command, env=env, capture_output=True, text=True)
        if answer.returncode:
            last = (answer.stderr.strip().splitlines() or [""])[-1]
            row(f"warm `{group}` group", f"**failed**: exit {answer.returncode}: {last}")
            return None
        return json.loads(answer.stdout)

    found = warm("names", name=name, typo=typo)
    if found:
        peak = f"; that process {found['peak_mib']:.0f} MiB peak"
        row("warm `search` (name index)", f"{found['search'] * 1000:.0f} ms{peak}")
        row("warm typo suggestions", f"{found['typo'] * 1000:.0f} ms")
    found = warm("paths")
    theirs = warm("peer", database=str(database)) if with_peer else None
    if found:
        peak = f"; that process {found['peak_mib']:.0f} MiB peak"
        if theirs:
            row("warm `path` (store; the graph DB on an open connection)",
                f"{found['path'] * 1000:.1f} ms{peak}",
                database=f"{theirs['path'] * 1000:.1f} ms; that process "
                         f"{theirs['peak_mib']:.0f} MiB peak",
                ratio=ratio(found["path"], theirs["path"]))
        else:
            row("warm `path` (store)", f"{found['path'] * 1000:.1f} ms{peak}")
        row(f"warm `path --all` ({found['all_count']} paths)",
            f"{found['all'] * 1000:.1f} ms")
    if graph is not None and found:
        import networkx as nx

        undirected = graph.to_undirected(as_view=True)
        naive_all, _ = timed(lambda: list(nx.all_shortest_paths(undirected, *ends)), 3)
        row("warm `path --all`: NetworkX all_shortest_paths on the same graph",
            f"{naive_all * 1000:.0f} ms", "", f"{naive_all / found['all']:.0f}× slower than "
            "graphkit")
    elif graph is None:
        row("warm `path --all`: NetworkX all_shortest_paths", "", whole_graph)
    undirected = graph = dataset = None
    gc.collect()
    if found:
        row(f"warm `neighbors --depth 2` ({found['neighbors_count']} entities)",
            f"{found['neighbors'] * 1000:.1f} ms")
    found = warm("flow")
    if found:
        row(f"warm `flow` (every pair: {found['pairs']:,} pairs of {found['moves']:,} moves)",
            f"{found['flow'] * 1000:.0f} ms; that process {found['peak_mib']:.0f} MiB peak")
        row("warm `flow --top 20`", f"{found['top'] * 1000:.0f} ms")
    found = warm("stats")
    if found:
        row(f"warm `stats` (betweenness: {found['method']})",
            f"{found['stats'] * 1000:.0f} ms; that process {found['peak_mib']:.0f} MiB peak")
    store = None

    if arguments.no_html:
        return finish(rows, arguments, work, started, temporary)
    html_seconds, page = render_large(work, arguments)
    row(f"HTML page of {arguments.html_nodes:,} nodes, {arguments.html_edges:,} edges",
        f"{html_seconds:.2f} s to build and write, {page.stat().st_size / 2**20:.1f} MiB")
    # Chromium reserves far more address space than it uses, and does not start under a
    # limit like the one large runs are measured under (``ulimit -v``): the page is of its
    # own 10,000 nodes whatever the data's size, so the limit is lifted for the browser when
    # only the soft one is set, else the step is skipped.
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    lifted = ""
    if soft != resource.RLIM_INFINITY and hard == resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        lifted = f" (the {soft / 2**30:.1f} GiB address-space limit lifted for the browser)"
    try:
        if soft != resource.RLIM_INFINITY and hard != resource.RLIM_INFINITY:
            raise OSError(f"Chromium does not start with its address space limited to "
                          f"{hard / 2**30:.1f} GiB (a hard `ulimit -v`; set only the soft "
                          "one, `ulimit -S -v`, to measure it)")
        opened = [in_browser(page) for _ in range(3)]
    except (OSError, RuntimeError) as missing:  # FileNotFoundError: no Chromium installed
        row("that page in headless Chromium", f"not measured: {missing}")
    else:
        ready = statistics.median(result["ready_ms"] for result in opened) / 1000
        loaded = statistics.median(result["loaded_ms"] for result in opened) / 1000
        row(f"that page in headless Chromium, network blocked (median of 3){lifted}",
            f"first drawing {ready:.2f} s, every card's details {loaded:.2f} s")

    finish(rows, arguments, work, started, temporary)


def warm_group(asked: dict) -> None:
    """One group of warm queries (``run.py --warm JSON``), in this process: print their
    median seconds, with this process's peak memory, as JSON."""
    group, ends = asked["group"], asked["ends"]
    out: dict = {}
    if group == "peer":
        warm = peer.Warm(Path(asked["database"]))
        out["path"], _ = timed(lambda: warm.ask("path", *ends), 7)
        warm.close()
    else:
        from graphkit.store.cache import open_store

        store = open_store(asked["data"])
    if group == "names":
        names = store.names()
        out["search"], _ = timed(lambda: names.search(asked["name"]), 5)
        out["typo"], _ = timed(lambda: names.search(asked["typo"], limit=3), 5)
    elif group == "paths":
        from graphkit.query.paths import find_paths, neighborhood

        view = store.view()
        out["path"], _ = timed(lambda: find_paths(view, *ends), 20)
        out["all"], result = timed(lambda: find_paths(view, *ends, mode="all"), 20)
        out["all_count"] = len(result)
        out["neighbors"], result = timed(lambda: neighborhood(view, ends[1], 2), 20)
        out["neighbors_count"] = len(result["nodes"])
    elif group == "flow":
        from graphkit.query.flow import compute_flow
        from graphkit.query.movetable import store_move_table

        table = store_move_table(store)
        out["flow"], result = timed(lambda: compute_flow(table), 3)
        out["pairs"], out["moves"] = result["totals"]["pairs"], result["totals"]["moves"]
        result = None
        out["top"], _ = timed(lambda: compute_flow(table, top=20), 3)
    elif group == "stats":
        from graphkit.query.stats import dataset_stats

        out["stats"], result = timed(lambda: dataset_stats(store), 3)
        out["method"] = result["betweenness"]["method"].split(" drawn")[0]
    # This process's own peak (VmHWM; ru_maxrss would count the parent's too, kept across
    # fork and exec).
    status = Path("/proc/self/status").read_text()
    out["peak_mib"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
    print(json.dumps(out))


def finish(rows, arguments, work: Path, started, temporary: bool) -> None:
    from graphkit.atomic import write_text_atomic

    ended = datetime.datetime.now(datetime.UTC)
    report = format_report(rows, arguments, started, ended)
    print()
    print(report)
    if not arguments.no_save:
        write_text_atomic(arguments.out, report + "\n")
        print(f"\nwritten to {arguments.out}")
    if temporary:
        shutil.rmtree(work, ignore_errors=True)


def spark_rows(row, cli: list[str], env: dict, work: Path) -> None:
    """The Parquet export, then ``flow --json`` by the local engine and by Spark (local
    mode), whole processes, interleaved."""
    folder = work / "parquet"
    seconds, peak, status = run_process(cli + ["export", "--format", "parquet", "--out",
                                               str(folder)], env)
    if status:
        row("Parquet export", f"failed (exit {status})")
        return
    row("Parquet export (`graphkit export --format parquet`, whole process)",
        f"{seconds:.1f} s, {peak / 1024:.0f} MiB peak")
    measured = interleaved({"local": cli + ["flow", "--json"],
                            "spark": cli + ["flow", "--json", "--engine", "spark",
                                            "--parquet", str(folder)]}, env, 1)
    local, spark = measured["local"], measured["spark"]
    row("`flow --json`: local engine (move table built) vs `--engine spark` (local[2], "
        "JVM start included)", f"local {local['seconds']:.1f} s, {local['peak_mib']:.0f} MiB "
        f"peak; spark {spark['seconds']:.1f} s, {spark['peak_mib']:.0f} MiB peak (driver)",
        ratio=f"spark {spark['seconds'] / local['seconds']:.1f}× the local time")


def render_large(work: Path, arguments) -> tuple[float, Path]:
    from graphkit.page.render import render_page, write_page
    from graphkit.store.graph import load_graph

    counts = generate(work / "html", arguments.html_nodes, arguments.html_edges, arguments.seed)
    graph = load_graph(counts["directory"])
    out = work / "large.html"
    seconds, _ = timed(lambda: write_page(render_page(graph, max_nodes=arguments.html_nodes + 1),
                                          out))
    return seconds, out


def format_report(rows, arguments, started, ended) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    limit = LIMIT
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python "
               f"{platform.python_version()}, {platform.system()} {platform.release()}"
               + ("" if limit == resource.RLIM_INFINITY
                  else f", address space limited to {limit / 2**30:.1f} GiB a process"))
    when = (f"{started:%Y-%m-%d %H:%M}–{ended:%H:%M} UTC ({(ended - started).seconds / 60:.0f} "
            f"min); 1-minute load average {min(LOADS, default=0):.1f}–"
            f"{max(LOADS, default=0):.1f} (sampled at each row)")
    lines = [f"# graphkit benchmark, {datetime.date.today().isoformat()}", "",
             f"Machine: {machine}.  Command: `python benchmarks/run.py "
             + " ".join(sys.argv[1:]) + "`.", "",
             f"Code: graphkit at {_commit()}.  When: {when}.", "",
             "Peers: an embedded graph database (LadybugDB "
             f"{_version('ladybug')}) and a naive script (stdlib json + NetworkX).  "
             "The machine may be shared: compare the ratios, measured in the same run.", "",
             "| measure | graphkit | embedded graph DB | naive baseline | ratio |",
             "| --- | --- | --- | --- | --- |"]
    lines += [f"| {what} | {ours} | {database} | {theirs} | {ratio} |"
              for what, ours, database, theirs, ratio in rows]
    return "\n".join(lines)


def _commit() -> str:
    """The commit this checkout is at, marked when it has changes not committed."""
    def git(*arguments: str) -> str:
        return subprocess.run(["git", "-C", str(HERE.parent), *arguments], text=True,
                              capture_output=True).stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD") or "an unknown commit"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return commit + (" **with changes not committed**" if dirty else "")


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    main()
