"""Run the municipal-morning load test headless against `make prod-like`, with fault drills,
and write a report (Markdown) with a latency-over-time chart (SVG).

    .venv/bin/python tests/load/run_load.py --users 200 --minutes 2
    .venv/bin/python tests/load/run_load.py --users 200 --minutes 2 --drill node
    .venv/bin/python tests/load/run_load.py --users 150 --minutes 2 --drill redis
    .venv/bin/python tests/load/run_load.py --users 100 --minutes 1.5 --drill worker
    make load-test LOAD_ARGS="--users 200 --minutes 2 --drill all"

Drills (each in its own run; `all` runs the three one after another):
- node:   30 s in, one gunicorn node is killed (SIGKILL to its process group) and started
          again 45 s later; nginx sends everything to the other node meanwhile.
- redis:  30 s in, the stack's own Redis is stopped for 30 s (cache, sessions' fast path and
          the Celery broker); pages keep serving from the database; mail waits in the outbox.
- worker: the Celery worker is killed, mail is enqueued through the outbox while it is down,
          the worker is started again and the script waits until the outbox is empty.

Writes var/load/<name>.md, <name>.svg and Locust's CSVs. Errors are reported for the drill
window and outside it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
STACK = ROOT / "deploy" / "prod-like.sh"
VENV = ROOT / ".venv" / "bin"


def stack(*args: str, check: bool = True) -> str:
    result = subprocess.run([str(STACK), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise SystemExit(f"prod-like.sh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def host_default() -> str:
    return f"http://127.0.0.1:{os.environ.get('PRODLIKE_PORT', '8080')}"


def ready(host: str) -> dict:
    try:
        with urllib.request.urlopen(host + "/health/ready/", timeout=5) as response:  # noqa: S310 - our own URL
            return json.loads(response.read())
    except Exception as exc:  # noqa: BLE001
        return {"status": f"unreachable: {exc}"}


def outbox_pending() -> int:
    out = stack(
        "python",
        "manage.py",
        "shell",
        "-c",
        "from notifications.models import OutboxMessage as M; print(M.objects.filter(state=M.State.PENDING).count())",
    )
    return int(out.strip().splitlines()[-1])


def enqueue_mail(count: int, tag: str) -> None:
    code = (
        "from django.db import transaction\n"
        "from notifications.services import outbox_email_enqueue\n"
        "from accounts.models import User\n"
        "u = User.objects.order_by('pk').first()\n"
        f"for i in range({count}):\n"
        "    with transaction.atomic():\n"
        "        outbox_email_enqueue(template='accounts/emails/activation', "
        "context={'user': u, 'municipality': 'Demo kommun', 'url': 'http://127.0.0.1/'}, "
        f"to=['drill{{}}@example.se'.format(i)], dedupe_key='drill-{tag}-{{}}'.format(i))\n"
    )
    stack("python", "manage.py", "shell", "-c", code)


class Timeline:
    def __init__(self):
        self.started = time.time()
        self.marks: list[tuple[float, str]] = []

    def mark(self, label: str) -> None:
        self.marks.append((time.time(), label))
        print(f"[{time.time() - self.started:6.1f}s] {label}", flush=True)


def drill_node(tl: Timeline, stop: threading.Event) -> None:
    if stop.wait(30):
        return
    tl.mark("drill start: kill web node 2")
    stack("kill-node", "2")
    if stop.wait(45):
        stack("start-node", "2", check=False)
        return
    stack("start-node", "2")
    tl.mark("drill end: web node 2 back")


def drill_redis(tl: Timeline, stop: threading.Event) -> None:
    if stop.wait(30):
        return
    tl.mark("drill start: Redis stopped")
    stack("redis-stop")
    stop.wait(30)
    stack("redis-start")
    tl.mark("drill end: Redis started")


def run_locust(name: str, host: str, users: int, minutes: float, drill, sessions: Path) -> tuple[Timeline, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    prefix = OUT / name
    env = {**os.environ, "SKOLHUBB_LOAD_SESSIONS": str(sessions)}
    command = [
        str(VENV / "locust"),
        "-f",
        str(ROOT / "tests" / "load" / "locustfile.py"),
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(max(users // 10, 1)),
        "-t",
        f"{int(minutes * 60)}s",
        "--csv",
        str(prefix),
        "--csv-full-history",
        "--only-summary",
        "--stop-timeout",
        "5",
    ]
    tl = Timeline()
    stop = threading.Event()
    thread = threading.Thread(target=drill, args=(tl, stop), daemon=True) if drill else None
    tl.mark(f"locust: {users} users for {minutes} min against {host}")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if thread:
        thread.start()
    output, _ = process.communicate()
    stop.set()
    if thread:
        thread.join(timeout=120)
    tl.mark("locust finished")
    (OUT / f"{name}.log").write_text(output, encoding="utf-8")
    return tl, prefix


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _num(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def window_errors(history: list[dict], start: float | None, end: float | None) -> tuple[int, int, int, int]:
    """(requests, failures) inside [start, end] and outside it, from the aggregated history
    (cumulative counts per second)."""
    rows = [r for r in history if r.get("Name") == "Aggregated"]
    inside_req = inside_fail = outside_req = outside_fail = 0
    previous = (0.0, 0.0)
    for row in rows:
        ts = _num(row["Timestamp"])
        total, failed = _num(row["Total Request Count"]), _num(row["Total Failure Count"])
        d_req, d_fail = total - previous[0], failed - previous[1]
        previous = (total, failed)
        if start is not None and start <= ts <= (end or ts):
            inside_req += d_req
            inside_fail += d_fail
        else:
            outside_req += d_req
            outside_fail += d_fail
    return int(inside_req), int(inside_fail), int(outside_req), int(outside_fail)


def svg_chart(history: list[dict], tl: Timeline, title: str) -> str:
    """p50 and p95 over time, requests/s, and the drill window shaded. No dependency."""
    rows = [r for r in history if r.get("Name") == "Aggregated" and _num(r.get("Requests/s", 0)) > 0]
    width, height, pad = 760, 300, 50
    if not rows:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60"><text x="10" y="30">no data</text></svg>'
    t0 = _num(rows[0]["Timestamp"])
    t1 = max(_num(rows[-1]["Timestamp"]), t0 + 1)
    p95 = [_num(r["95%"]) for r in rows]
    top = max(max(p95), 50)
    rps_top = max(max(_num(r["Requests/s"]) for r in rows), 1)

    def x(ts):
        return pad + (ts - t0) / (t1 - t0) * (width - 2 * pad)

    def y(ms):
        return height - pad - ms / top * (height - 2 * pad)

    def y_rps(v):
        return height - pad - v / rps_top * (height - 2 * pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11">',
        f'<title>{title}</title><rect width="100%" height="100%" fill="#fff"/>',
        f'<text x="{pad}" y="18" font-size="13">{title}</text>',
    ]
    starts = [ts for ts, label in tl.marks if label.startswith("drill start")]
    ends = [ts for ts, label in tl.marks if label.startswith("drill end")]
    for start, end in zip(starts, ends + [t1] * (len(starts) - len(ends)), strict=False):
        parts.append(
            f'<rect x="{x(start):.1f}" y="{pad}" width="{max(x(end) - x(start), 1):.1f}" '
            f'height="{height - 2 * pad}" fill="#fde2e2"/>'
        )
    parts.append(
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#333"/>'
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#333"/>'
    )
    for frac in (0, 0.25, 0.5, 0.75, 1):
        ms = top * frac
        parts.append(f'<text x="4" y="{y(ms) + 4:.1f}">{ms:.0f} ms</text>')
        parts.append(f'<text x="{width - pad + 4}" y="{y_rps(rps_top * frac) + 4:.1f}">{rps_top * frac:.0f}/s</text>')
    for key, color in (("50%", "#1f6feb"), ("95%", "#d1242f")):
        points = " ".join(f"{x(_num(r['Timestamp'])):.1f},{y(_num(r[key])):.1f}" for r in rows)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{points}"/>')
    points = " ".join(f"{x(_num(r['Timestamp'])):.1f},{y_rps(_num(r['Requests/s'])):.1f}" for r in rows)
    parts.append(f'<polyline fill="none" stroke="#2da44e" stroke-width="1" stroke-dasharray="3,2" points="{points}"/>')
    parts.append(
        f'<text x="{pad + 10}" y="{pad - 8}" fill="#1f6feb">p50</text>'
        f'<text x="{pad + 45}" y="{pad - 8}" fill="#d1242f">p95</text>'
        f'<text x="{pad + 80}" y="{pad - 8}" fill="#2da44e">requests/s (right axis)</text>'
        f'<text x="{pad + 250}" y="{pad - 8}" fill="#b35">drill window shaded</text>'
        f'<text x="{width / 2 - 20:.0f}" y="{height - 15}">{(t1 - t0):.0f} s</text></svg>'
    )
    return "".join(parts)


def report(name: str, title: str, tl: Timeline, prefix: Path, extra: list[str]) -> str:
    stats = read_csv(Path(f"{prefix}_stats.csv"))
    history = read_csv(Path(f"{prefix}_stats_history.csv"))
    failures = read_csv(Path(f"{prefix}_failures.csv"))
    (OUT / f"{name}.svg").write_text(svg_chart(history, tl, title), encoding="utf-8")
    lines = [f"# {title}", "", f"![latency over time]({name}.svg)", ""]
    lines += [
        "| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in stats:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {_num(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} |"
        )
    starts = [ts for ts, label in tl.marks if label.startswith("drill start")]
    ends = [ts for ts, label in tl.marks if label.startswith("drill end")]
    if starts:
        # Errors while the drill lasts and 5 s after (connections in flight).
        inside_req, inside_fail, out_req, out_fail = window_errors(
            history, starts[0], (ends or [None])[0] and ends[0] + 5
        )
        lines += [
            "",
            f"Drill window: {inside_fail} failed of {inside_req} requests "
            f"({100 * inside_fail / max(inside_req, 1):.2f} %); outside it: {out_fail} of {out_req} "
            f"({100 * out_fail / max(out_req, 1):.2f} %).",
        ]
    if failures:
        lines += ["", "| failure | page | count |", "| --- | --- | ---: |"]
        for row in failures:
            lines.append(f"| {row['Error'][:80]} | {row['Name']} | {row['Occurrences']} |")
    lines += ["", "Timeline:", ""] + [f"- {ts - tl.started:6.1f} s: {label}" for ts, label in tl.marks]
    lines += [""] + extra
    text = "\n".join(lines) + "\n"
    (OUT / f"{name}.md").write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default=host_default())
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--drill", choices=["none", "node", "redis", "worker", "all"], default="none")
    parser.add_argument("--name", default="")
    args = parser.parse_args()
    health = ready(args.host)
    if health.get("status") != "ok":
        raise SystemExit(f"the stack is not ready at {args.host}: {health} (start it: make prod-like)")
    OUT.mkdir(parents=True, exist_ok=True)
    sessions = OUT / "sessions.json"
    sessions.write_text(stack("python", "tests/load/forge_sessions.py", str(args.sessions)), encoding="utf-8")
    drills = ["node", "redis", "worker"] if args.drill == "all" else [args.drill]
    for drill in drills:
        name = args.name or f"morning-{args.users}u-{drill}"
        extra: list[str] = []
        if drill == "worker":
            tl = Timeline()
            tl.mark("drill start: Celery worker killed")
            stack("worker-stop")
            enqueue_mail(50, str(int(time.time())))
            pending = outbox_pending()
            tl.mark(f"50 e-mails enqueued through the outbox while the worker is down ({pending} pending)")
            drill_tl, prefix = run_locust(name, args.host, args.users, args.minutes, None, sessions)
            tl.marks += drill_tl.marks
            stack("worker-start")
            tl.mark("worker started")
            deadline = time.time() + 180
            while time.time() < deadline and outbox_pending() > 0:
                time.sleep(2)
            left = outbox_pending()
            tl.mark(f"drill end: outbox pending after restart: {left}")
            extra.append(f"Outbox: {pending} pending while the worker was down, {left} pending after the restart.")
        else:
            runner = {"none": None, "node": drill_node, "redis": drill_redis}[drill]
            tl, prefix = run_locust(name, args.host, args.users, args.minutes, runner, sessions)
            if drill == "redis":
                time.sleep(5)
                extra.append(f"Readiness after the drill: {ready(args.host)}")
                extra.append(f"Outbox pending after the drill: {outbox_pending()}")
        print(report(name, f"Municipal morning, {args.users} users, drill: {drill}", tl, prefix, extra))


if __name__ == "__main__":
    sys.exit(main())
