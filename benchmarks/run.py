"""graphkit's scale benchmark, side by side with a naive baseline, in one run.

    python benchmarks/run.py                      # 200,000 entities, 1,000,000 edges
    python benchmarks/run.py --entities 20000 --edges 100000 --runs 3   # a quick look

It generates seeded synthetic data (benchmarks/generate.py), then measures: validate +
load + build; the cache build; cold whole-process CLI times for ``path``, ``flow``,
``show``, ``search`` (a name, a typo's suggestions, a pinyin spelling) and ``--help`` from
a built cache (median of several runs, with peak memory);
warm in-process query latencies; and writing a 10,000-node HTML page, then opening it in
headless Chromium (Debian's, when installed).

Two peers are measured on the same data in the same run.  The embedded graph database
(LadybugDB, the maintained successor of Kùzu: ``pip install ladybug``, an optional benchmark
dependency; benchmarks/peer.py) is what an analyst would reach for instead: its load, cold
``path``, ``show`` and ``neighbors`` as whole processes run interleaved with graphkit's
(so both see the same machine load), and its warm shortest path.  The naive baseline is
what a user scripting this by hand would do: stdlib ``json`` plus building the NetworkX
graph on every call.  Absolute times vary between machines (and on a shared one, between
minutes), so the table gives ratios measured in the same run.  Results are printed and
written to ``benchmarks/results/DATE.md``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import shutil
import statistics
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


def run_process(command: list[str], env: dict) -> tuple[float, int, int]:
    """Wall time, peak resident memory (KiB) and exit status of one whole process (measured
    by :func:`cold.run`, which forks it from a small launcher)."""
    seconds, _cpu, peak, status = cold.run(command, env)
    return seconds, peak, status


def median_process(command: list[str], env: dict, runs: int, expect=(0, 1)) -> dict:
    results = [run_process(command, env) for _ in range(runs)]
    failed = [code for _, _, code in results if code not in expect]
    if failed:
        raise SystemExit(f"{' '.join(command)} exited {failed[0]}")
    return {"seconds": statistics.median(r[0] for r in results),
            "peak_mib": max(r[1] for r in results) / 1024}


def interleaved(commands: dict[str, list[str]], env: dict, runs: int) -> dict[str, dict]:
    """:func:`median_process` of each command, their runs taken in turn (A B A B ...), so
    that a busy machine slows them alike."""
    results: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(run_process(command, env))
    out = {}
    for name, measured in results.items():
        failed = [code for _, _, code in measured if code not in (0, 1)]
        if failed:
            raise SystemExit(f"{' '.join(commands[name])} exited {failed[0]}")
        out[name] = {"seconds": statistics.median(r[0] for r in measured),
                     "peak_mib": max(r[1] for r in measured) / 1024}
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
    arguments = parser.parse_args()
    naive_too = not arguments.no_naive and arguments.edges <= 3_000_000

    from graphkit.data.dataset import load_dataset
    from graphkit.query.flow import compute_flow
    from graphkit.query.movetable import TABLE_FILE, store_move_table
    from graphkit.query.paths import find_paths, neighborhood
    from graphkit.query.stats import dataset_stats
    from graphkit.store.cache import open_store
    from graphkit.store.graph import build_graph

    work = Path(tempfile.mkdtemp(prefix="graphkit-bench-"))
    env = {**os.environ, "GRAPHKIT_CACHE": str(work / "cache")}
    os.environ["GRAPHKIT_CACHE"] = env["GRAPHKIT_CACHE"]
    rows: list[tuple[str, str, str, str, str]] = []

    def row(what: str, graphkit: str, baseline: str = "", ratio: str = "",
            database: str = "") -> None:
        rows.append((what, graphkit, database, baseline, ratio))
        print(f"  {what}: {graphkit}" + (f" | graph DB {database}" if database else "")
              + (f" | naive {baseline}" if baseline else "") + (f" | {ratio}" if ratio else ""),
              flush=True)

    if arguments.data:
        import orjson

        data = arguments.data.resolve()
        counts = {"entities": len(orjson.loads((data / "entities.json").read_bytes())["entities"]),
                  "edges": sum(len(orjson.loads(path.read_bytes()).get("edges", ()))
                               for path in data.glob("*.json"))}
        naive_too = naive_too and counts["edges"] <= 3_000_000
    else:
        print(f"generating {arguments.edges:,} edges, {arguments.entities:,} entities ...",
              flush=True)
        counts = generate(work / "big", arguments.entities, arguments.edges, arguments.seed)
        data = Path(counts["directory"])
    size = sum(path.stat().st_size for path in data.glob("*.json")) / 2**20
    row("data", f"{counts['entities']:,} entities, {counts['edges']:,} edges, {size:.0f} MiB "
        "of JSON")

    gc.collect()
    graph = dataset = None
    if naive_too:
        seconds, dataset = timed(lambda: load_dataset(data))
        build_seconds, graph = timed(lambda: build_graph(dataset))
        row("validate + load + build the NetworkX graph", f"{seconds + build_seconds:.1f} s")
    seconds, peak, _status = run_process(
        [sys.executable, "-c", "import sys; from graphkit.store.cache import open_store; "
         "open_store(sys.argv[1])", str(data)], env)
    row("cache build (validate + compile, whole process; peak of the largest of its "
        "processes)", f"{seconds:.1f} s, {peak / 1024:.0f} MiB peak")

    with_peer = not arguments.no_peer and peer.available()
    database = work / "peer" / "graph.lbdb"
    if with_peer:
        peer.write_csv(data, database.parent)
        seconds, peak, _status = run_process([sys.executable, "-c", peer.LOAD, str(database)],
                                             env)
        row("embedded graph DB: load (COPY FROM two CSV files, whole process; no validation)",
            "", database=f"{seconds:.1f} s, {peak / 1024:.0f} MiB peak")
    elif not arguments.no_peer:
        row("embedded graph DB", "not measured: `pip install ladybug` (LadybugDB)")

    store = open_store(data)
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
                f"{ours['seconds']:.2f} s, {ours['peak_mib']:.0f} MiB peak",
                ratio=f"{ratio(ours['seconds'], theirs['seconds'])}, "
                      f"{ratio(ours['peak_mib'], theirs['peak_mib'], 'less memory')}",
                database=f"{theirs['seconds']:.2f} s, {theirs['peak_mib']:.0f} MiB peak")
    naive = (median_process([sys.executable, "-c", NAIVE_PATH, str(data), *ends], env,
                            max(1, min(3, arguments.runs))) if naive_too else None)
    # The first flow after a data change infers the moves and writes the move table.
    (store.folder / TABLE_FILE).unlink(missing_ok=True)
    measured = median_process(cli + ["flow", "--top", "20"], env, 1)
    row("first `graphkit flow` after a data change (works out the moves once, writes the "
        "move table)", f"{measured['seconds']:.2f} s, {measured['peak_mib']:.0f} MiB peak")
    for name, command in (("path A B", ["path", *ends]), ("show", ["show", ends[1]]),
                          ("flow", ["flow"]), ("flow --json", ["flow", "--json"]),
                          ("stats", ["stats"]), ("--help", ["--help"])):
        runs = (arguments.runs if name not in ("flow", "flow --json", "stats")
                else max(1, min(3, arguments.runs)))
        measured = median_process(cli + command, env, runs)
        if name == "path A B" and naive is not None:
            row(f"cold `graphkit {name}` (median of {runs})",
                f"{measured['seconds']:.2f} s, {measured['peak_mib']:.0f} MiB peak",
                f"{naive['seconds']:.1f} s, {naive['peak_mib']:.0f} MiB",
                f"{naive['seconds'] / measured['seconds']:.0f}× faster than naive")
        else:
            row(f"cold `graphkit {name}` (median of {runs})",
                f"{measured['seconds']:.2f} s, {measured['peak_mib']:.0f} MiB peak")
    # Names: a search, a typo's "did you mean" (exit 2) and a pinyin spelling, each cold.
    name = store.entity("person-12345")["name"]
    typo = name[:-3] + name[-2:]
    alias = store.entity("person-12345")["aliases"][0]
    from pypinyin import lazy_pinyin

    spelled = " ".join(lazy_pinyin(alias))
    for what, command, expect in (
            (f"search {name!r}", ["search", name], (0,)),
            (f"show {typo!r} (a typo: exit 2 with suggestions)", ["show", typo], (2,)),
            (f"show {spelled!r} (pinyin of {alias})", ["show", spelled], (0,))):
        measured = median_process(cli + command, env, arguments.runs, expect=expect)
        row(f"cold `graphkit {what}` (median of {arguments.runs})",
            f"{measured['seconds']:.2f} s, {measured['peak_mib']:.0f} MiB peak")
    error = median_process(cli + ["path", "--bogus"], env, arguments.runs, expect=(2,))
    row("usage error (median)", f"{error['seconds']:.2f} s")
    if arguments.spark:
        spark_rows(row, cli, env, work)

    names = store.names()
    seconds, _ = timed(lambda: names.search(name), 5)
    row("warm `search` (name index)", f"{seconds * 1000:.0f} ms")
    seconds, _ = timed(lambda: names.search(typo, limit=3), 5)
    row("warm typo suggestions", f"{seconds * 1000:.0f} ms")
    view = store.view()
    seconds, _ = timed(lambda: find_paths(view, *ends), 20)
    if with_peer:
        warm = peer.Warm(database)
        theirs, _ = timed(lambda: warm.ask("path", *ends), 7)
        warm.close()
        row("warm `path` (store; the graph DB on an open connection)",
            f"{seconds * 1000:.1f} ms", database=f"{theirs * 1000:.1f} ms",
            ratio=ratio(seconds, theirs))
    else:
        row("warm `path` (store)", f"{seconds * 1000:.1f} ms")
    seconds, result = timed(lambda: find_paths(view, *ends, mode="all"), 20)
    row(f"warm `path --all` ({len(result)} paths)", f"{seconds * 1000:.1f} ms")
    if graph is not None:
        import networkx as nx

        undirected = graph.to_undirected(as_view=True)
        naive_all, _ = timed(lambda: list(nx.all_shortest_paths(undirected, *ends)), 3)
        row("warm `path --all`: NetworkX all_shortest_paths on the same graph",
            f"{naive_all * 1000:.0f} ms", "", f"{naive_all / seconds:.0f}× slower than graphkit")
    # graphkit's queries need only the store: measure them in a process that holds no more,
    # as the command line does (millions of NetworkX objects slow every later collection).
    undirected = graph = dataset = None
    gc.collect()
    seconds, result = timed(lambda: neighborhood(view, ends[1], 2), 20)
    row(f"warm `neighbors --depth 2` ({len(result['nodes'])} entities)",
        f"{seconds * 1000:.1f} ms")
    table = store_move_table(store)
    seconds, result = timed(lambda: compute_flow(table), 3)
    row(f"warm `flow` (every pair: {result['totals']['pairs']:,} pairs of "
        f"{result['totals']['moves']:,} moves)", f"{seconds * 1000:.0f} ms")
    seconds, _ = timed(lambda: compute_flow(table, top=20), 3)
    row("warm `flow --top 20`", f"{seconds * 1000:.0f} ms")
    seconds, result = timed(lambda: dataset_stats(store), 3)
    row("warm `stats` (betweenness: "
        f"{result['betweenness']['method'].split(' drawn')[0]})", f"{seconds * 1000:.0f} ms")

    if arguments.no_html:
        return finish(rows, arguments, work)
    html_seconds, page = render_large(work, arguments)
    row(f"HTML page of {arguments.html_nodes:,} nodes, {arguments.html_edges:,} edges",
        f"{html_seconds:.2f} s to build and write, {page.stat().st_size / 2**20:.1f} MiB")
    try:
        opened = [in_browser(page) for _ in range(3)]
    except FileNotFoundError as missing:
        row("that page in headless Chromium", f"not measured: {missing}")
    else:
        ready = statistics.median(result["ready_ms"] for result in opened) / 1000
        loaded = statistics.median(result["loaded_ms"] for result in opened) / 1000
        row("that page in headless Chromium, network blocked (median of 3)",
            f"first drawing {ready:.2f} s, every card's details {loaded:.2f} s")

    finish(rows, arguments, work)


def finish(rows, arguments, work: Path) -> None:
    report = format_report(rows, arguments)
    print()
    print(report)
    if not arguments.no_save:
        out = HERE / "results" / f"{datetime.date.today().isoformat()}.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten to {out.relative_to(HERE.parent)}")
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


def format_report(rows, arguments) -> str:
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
               f"{platform.python_version()}, {platform.system()} {platform.release()}")
    lines = [f"# graphkit benchmark, {datetime.date.today().isoformat()}", "",
             f"Machine: {machine}.  Command: `python benchmarks/run.py --entities "
             f"{arguments.entities} --edges {arguments.edges} --runs {arguments.runs}`.", "",
             "Peers: an embedded graph database (LadybugDB "
             f"{_version('ladybug')}) and a naive script (stdlib json + NetworkX).  "
             "The machine may be shared: compare the ratios, measured in the same run.", "",
             "| measure | graphkit | embedded graph DB | naive baseline | ratio |",
             "| --- | --- | --- | --- | --- |"]
    lines += [f"| {what} | {ours} | {database} | {theirs} | {ratio} |"
              for what, ours, database, theirs, ratio in rows]
    return "\n".join(lines)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    main()
