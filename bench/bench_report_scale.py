"""The full report on a big world: wall time, peak memory of the whole process tree, page sizes.

    flock /work/bigrun.lock .venv/bin/python bench/bench_report_scale.py WORLD OUT [netlib report options]

Runs ``netlib report WORLD --out OUT ...`` as a child process and samples, twice a second, the
resident memory of it and every process it starts (the notebook kernels run beside the main
process, so the peak of the tree is what the machine has to hold; ``/usr/bin/time -v`` reports only
the largest single process). Prints the wall time, the peak of the tree and of its largest process,
the seconds per notebook the report states, and the size of every page and export.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def _tree_rss(root: int) -> tuple[int, int]:
    """Summed and largest resident set (bytes) of ``root`` and its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total = largest = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        largest = max(largest, rss.get(pid, 0))
        todo += children.get(pid, [])
    return total, largest


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:8.2f} MB"


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    world, out, rest = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    cmd = [sys.executable, "-m", "netlib.cli", "report", world, "--out", str(out), *rest]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak = peak_one = 0
    trace = []
    while proc.poll() is None:
        total, largest = _tree_rss(proc.pid)
        peak, peak_one = max(peak, total), max(peak_one, largest)
        trace.append((time.perf_counter() - t0, total))
        time.sleep(0.5)
    wall = time.perf_counter() - t0
    print(f"\n== netlib report {world}: exit {proc.returncode}, wall {wall:.1f} s; peak memory of the process tree "
          f"{peak / 2**30:.2f} GiB (largest single process {peak_one / 2**30:.2f} GiB)")
    for minute in range(0, int(wall // 60) + 1):
        at = [m for t, m in trace if minute * 60 <= t < (minute + 1) * 60]
        if at:
            print(f"   minute {minute:3d}: tree memory up to {max(at) / 2**30:5.2f} GiB")
    if proc.returncode == 0:
        for page in sorted(out.glob("*.html")) + sorted(out.glob("*.js")) + sorted((out / "exports").glob("*")):
            print(f"   {page.relative_to(out)!s:<40} {_mb(page)}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
