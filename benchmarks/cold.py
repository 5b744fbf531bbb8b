"""Cold queries only: graphkit's ``path``, ``show``, ``neighbors``, ``search`` and a typo's
suggestions as whole processes, interleaved with the embedded graph database's (when
installed) and, optionally, with another graphkit checkout's (before and after a change).

    python benchmarks/cold.py --data DIR --runs 7
    python benchmarks/cold.py --data DIR --before /tmp/graphkit-63bf5fd   # old vs new

Each command is one fresh process, started by a small launcher that reports its wall
time, its CPU time (user + system, from ``wait4``) and its peak resident memory; the runs
of the compared programs are taken in turn (A B A B ...), so a busy machine slows them
alike.  On a shared machine the wall time measures the queue: read the CPU time beside it
(on an idle machine the wall time is about the CPU time plus a few milliseconds).

The caches are built before measuring (each checkout its own cache folder, so two store
formats never evict each other) and the peer's database is loaded once
(``benchmarks/peer.py``), in a temporary folder removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import peer  # noqa: E402

LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1); os.dup2(null, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
                  usage.ru_maxrss, os.waitstatus_to_exitcode(status)]))
"""


def run(command: list[str], env: dict, cwd: Path | None = None) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak KiB and exit status of one whole process."""
    output = subprocess.run([sys.executable, "-c", LAUNCHER, *command], env=env, cwd=cwd,
                            capture_output=True, text=True, check=True).stdout
    wall, cpu, peak, status = json.loads(output)
    return wall, cpu, peak, status


def interleaved(commands: dict[str, tuple[list[str], dict, Path | None, tuple]],
                runs: int) -> dict[str, dict]:
    """Median wall and CPU seconds, peak MiB of each command, run in turn ``runs`` times."""
    measured: dict[str, list] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env, cwd, expect) in commands.items():
            result = run(command, env, cwd)
            if result[3] not in expect:
                raise SystemExit(f"{' '.join(command)} exited {result[3]}")
            measured[name].append(result)
    return {name: {"wall": statistics.median(r[0] for r in results),
                   "cpu": statistics.median(r[1] for r in results),
                   "peak_mib": max(r[2] for r in results) / 1024}
            for name, results in measured.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a dataset folder "
                        "(benchmarks/generate.py's, for the names asked below)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path,
                        help="another graphkit checkout to measure beside this one")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--peer-db", type=Path, help="a LadybugDB database already loaded "
                        "from the same data (else one is loaded here)")
    parser.add_argument("--keep", action="store_true", help="keep the caches and database")
    parser.add_argument("--only", help="only the questions whose label contains one of "
                        "these (comma-separated)")
    arguments = parser.parse_args()
    data = arguments.data.resolve()
    work = Path(tempfile.mkdtemp(prefix="graphkit-cold-"))
    try:
        measure(arguments, data, work)
    finally:
        if arguments.keep:
            print(f"(kept {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)


def measure(arguments, data: Path, work: Path) -> None:
    checkouts = {"graphkit": HERE.parent}
    if arguments.before:
        checkouts = {"before": arguments.before.resolve(), **checkouts}
    envs = {name: {**os.environ, "GRAPHKIT_CACHE": str(work / f"cache-{name}")}
            for name in checkouts}
    cli = [sys.executable, "-m", "graphkit", "--data", str(data)]
    for name, root in checkouts.items():
        print(f"building {name}'s cache ({root}) ...", flush=True)
        subprocess.run(cli + ["show", "person-1"], env=envs[name], cwd=root, check=True,
                       capture_output=True)
    database = arguments.peer_db
    with_peer = not arguments.no_peer and peer.available()
    if with_peer and database is None:
        database = work / "peer" / "graph.lbdb"
        print("loading the graph database ...", flush=True)
        peer.write_csv(data, database.parent)
        subprocess.run([sys.executable, "-c", peer.LOAD, str(database)], check=True)

    entities = json.loads((data / "entities.json").read_bytes())["entities"]
    person = next(entity for entity in entities if entity["id"] == "person-12345")
    name = person["name"]
    typo = name[:-3] + name[-2:]
    alias = person["aliases"][0]
    from pypinyin import lazy_pinyin

    spelled = " ".join(lazy_pinyin(alias))
    questions = [
        ("path person-1 person-2", ["path", "person-1", "person-2"], ("path", "person-1",
                                                                      "person-2"), (0,)),
        ("path person-1 company-5", ["path", "person-1", "company-5"], ("path", "person-1",
                                                                        "company-5"), (0,)),
        ("show company-5", ["show", "company-5"], ("show", "company-5"), (0,)),
        ("neighbors company-5 --depth 2", ["neighbors", "company-5", "--depth", "2"],
         ("neighbors", "company-5"), (0,)),
        (f"show {name!r} (by name)", ["show", name], None, (0,)),
        (f"show {spelled!r} (pinyin of {alias})", ["show", spelled], None, (0,)),
        (f"search {name!r}", ["search", name], None, (0,)),
        (f"show {typo!r} (a typo: exit 2, three suggestions)", ["show", typo], None, (2,)),
        ("--help", ["--help"], None, (0,)),
    ]
    rows = []
    if arguments.only:
        wanted = arguments.only.split(",")
        questions = [question for question in questions
                     if any(part in question[0] for part in wanted)]
    for what, command, asked, expect in questions:
        commands = {label: (cli + command, envs[label], root, expect)
                    for label, root in checkouts.items()}
        if with_peer and asked is not None:
            commands["peer"] = ([sys.executable, "-c", peer.query_script(asked[0]),
                                 str(database), *asked[1:]], dict(os.environ), None, (0,))
        results = interleaved(commands, arguments.runs)
        rows.append((what, results))
        print(what, json.dumps(results), flush=True)
    print()
    labels = [*checkouts, *(["peer"] if with_peer else [])]
    print("| command | " + " | ".join(f"{label}: wall / CPU / peak" for label in labels)
          + " |")
    print("| --- |" + " --- |" * len(labels))
    for what, results in rows:
        cells = [f"{results[label]['wall']:.3f} s / {results[label]['cpu']:.3f} s / "
                 f"{results[label]['peak_mib']:.0f} MiB" if label in results else ""
                 for label in labels]
        print(f"| `{what}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
