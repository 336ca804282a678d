"""scripts/bench: jieyue against Playwright and Selenium on the embedded demo platform.

The same cancel flow per carrier, and on generated platforms (`--gen`, seeds of the platform
generator: jieyue runs one generic keyword script, the peers follow the platform's selectors), run by (1) `jieyue run`, (2) bench/playwright-cancel.js,
(3) bench/selenium_cancel.py, interleaved (A B C A B C ...), each a fresh process with a fresh
browser, the demo state reset before each. Whole-process wall time and the client's own peak
memory (VmHWM of that one process, not the browser's). Then batch throughput (20 accounts,
--jobs 1, 2, 4) and the per-command overhead of Selenium Grid against a direct chromedriver.
Prints a Markdown report and writes it to bench/results.md.
"""
import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
JIEYUE = os.path.join(ROOT, "target", "release", "jieyue")
PASSWORD = "jieyue-demo-2026"
CARRIERS = ["web", "h5", "mini"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def peak_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def machine_cpu():
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(cmd, env=None):
    """Runs cmd; returns (seconds, peak RSS of that process in MB, exit code, stderr tail,
    CPU seconds the machine spent meanwhile: the client, its driver and browser, the demo)."""
    cpu0 = machine_cpu()
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = [0]

    def watch():
        while p.poll() is None:
            kb = peak_kb(p.pid)
            if kb:
                peak[0] = max(peak[0], kb)
            time.sleep(0.005)

    t = threading.Thread(target=watch, daemon=True)
    t.start()
    _, err = p.communicate()
    secs = time.perf_counter() - start
    cpu = machine_cpu() - cpu0
    t.join()
    return secs, peak[0] / 1024, p.returncode, err.decode(errors="replace")[-400:], cpu


class Demo:
    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([JIEYUE, "demo", "--serve", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                get(self.base + "/__demo/audit?user=demo")
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the demo platform did not start")

    def reset(self):
        get(self.base + "/__demo/reset")

    def renewal_off(self, user="demo"):
        return json.loads(get(f"{self.base}/__demo/audit?user={user}"))["auto_renew"] is False

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def clients(carrier, base, out):
    return {
        "jieyue": [JIEYUE, "run", os.path.join(ROOT, "scripts", f"demo-{carrier}.yaml"),
                   "--var", f"base_url={base}", "--secret", f"password={PASSWORD}",
                   "--evidence", os.path.join(out, f"jy-{time.monotonic_ns()}")],
        "playwright": ["node", os.path.join(BENCH, "playwright-cancel.js"), carrier, base, "demo",
                       PASSWORD, out],
        "selenium": [os.path.join(BENCH, ".venv", "bin", "python"),
                     os.path.join(BENCH, "selenium_cancel.py"), carrier, base, "demo", PASSWORD, out],
    }


# One generic script per carrier for generated platforms: keywords only, nothing of the
# platform but its service's name and renewal word (as the generality tests run them).
GENERIC = """name: 任一平台
carrier: {carrier}
start: ${{base_url}}${{start}}
vars:
  base_url: http://127.0.0.1:9
  start: /
  service: x
  term: 自动续费
timeout: 8s
steps:
  - find: {{ text: ["${{service}}"], reveal: 3 }}
  - switch_off: ["${{service}}", "${{term}}"]
  - confirm: {{}}
  - screenshot: proof
"""


class Flow:
    """One flow the three clients run: its commands, how to reset it, how to check it."""

    def __init__(self, name, cmds, reset, ok, about=None):
        self.name, self.cmds, self.reset, self.ok, self.about = name, cmds, reset, ok, about


def demo_flows(demo):
    return [Flow(c, lambda out, c=c: clients(c, demo.base, out), demo.reset, demo.renewal_off)
            for c in CARRIERS]


def gen_flows(demo, seeds, out):
    """The generated platforms of `seeds`: jieyue runs the generic script, the peers follow
    the platform's path (the selectors a person who read its markup would press)."""
    flows = []
    for seed in seeds:
        path = json.loads(get(f"{demo.base}/__demo/gen/{seed}/path"))
        script = os.path.join(out, f"any-{path['carrier']}.yaml")
        with open(script, "w") as f:
            f.write(GENERIC.format(carrier=path["carrier"]))
        path_json = json.dumps(path, ensure_ascii=False)

        def cmds(out, seed=seed, path=path, script=script, path_json=path_json):
            return {
                "jieyue": [JIEYUE, "run", script, "--var", f"base_url={demo.base}",
                           "--var", f"start={path['start']}", "--var", f"service={path['service']}",
                           "--var", f"term={path['term']}",
                           "--evidence", os.path.join(out, f"jy-{time.monotonic_ns()}")],
                "playwright": ["node", os.path.join(BENCH, "playwright-cancel.js"), "gen", demo.base,
                               path_json, "-", out],
                "selenium": [os.path.join(BENCH, ".venv", "bin", "python"),
                             os.path.join(BENCH, "selenium_cancel.py"), "gen", demo.base, path_json, "-", out],
            }

        def ok(seed=seed):
            a = json.loads(get(f"{demo.base}/__demo/gen/{seed}/audit"))
            return a["auto_renew"] is False and not a["decoy_clicks"] and not a["wrong_service"]

        flows.append(Flow(f"gen {seed} ({path['carrier']})", cmds,
                          lambda seed=seed: get(f"{demo.base}/__demo/gen/{seed}/reset"), ok,
                          about=path["describe"]))
    return flows


def run_flows(flows, runs, out):
    results = {}
    for flow in flows:
        for client in ["jieyue", "playwright", "selenium"]:
            results[(flow.name, client)] = {"secs": [], "mb": [], "cpu": [], "fail": 0}
        for i in range(runs + 1):  # run 0 warms the disk cache and is not counted
            for client, cmd in flow.cmds(out).items():
                flow.reset()
                secs, mb, code, err, cpu = timed(cmd)
                ok = code == 0 and flow.ok()
                if i == 0:
                    continue
                r = results[(flow.name, client)]
                if ok:
                    r["secs"].append(secs)
                    r["mb"].append(mb)
                    r["cpu"].append(cpu)
                else:
                    r["fail"] += 1
                    print(f"  {flow.name} {client} run {i} failed: {err.strip()[-200:]}", file=sys.stderr)
            print(f"  {flow.name}: run {i}/{runs} done", file=sys.stderr)
    return results


def batch_throughput(demo, out, jobs_list):
    scripts = [os.path.join(ROOT, "scripts", f"demo-{c}.yaml") for c in CARRIERS]
    lines = [f'vars: {{ base_url: "{demo.base}" }}', "jobs:"]
    for i in range(20):
        lines += [f"  - script: {scripts[i % 3]}",
                  f'    vars: {{ username: "acct{i + 1:02d}" }}',
                  "    secrets: { password: env:JIEYUE_BENCH_PW }"]
    path = os.path.join(out, "batch.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, JIEYUE_BENCH_PW=PASSWORD)
    rows = []
    for jobs in jobs_list:
        demo.reset()
        ev = os.path.join(out, f"batch-{jobs}")
        secs, mb, code, err, _ = timed([JIEYUE, "batch", path, "--jobs", str(jobs), "--evidence", ev], env)
        off = sum(demo.renewal_off(f"acct{i + 1:02d}") for i in range(20))
        rows.append((jobs, secs, 20 * 60 / secs, off, code, mb))
        print(f"  batch --jobs {jobs}: {secs:.1f} s, {off}/20 off", file=sys.stderr)
    return rows


GRID_PROBE = r'''
import statistics, sys, time
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
remote = sys.argv[1] if len(sys.argv) > 1 else None
o = webdriver.ChromeOptions()
o.binary_location = "/usr/bin/chromium"
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]:
    o.add_argument(a)
t = time.perf_counter()
d = webdriver.Remote(command_executor=remote, options=o) if remote else \
    webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
start = time.perf_counter() - t
d.get("about:blank")
ms = []
for _ in range(200):
    t = time.perf_counter()
    d.execute_script("return 1")
    ms.append((time.perf_counter() - t) * 1000)
d.quit()
print(f"{start:.3f} {statistics.median(ms):.3f}")
'''


def grid_overhead(out):
    grid = os.path.join(ROOT, "webdriver", "grid.sh")
    jar_dir = os.path.join(ROOT, "webdriver", ".grid")
    if not os.path.isdir(jar_dir):
        return None
    port = free_port()
    run_dir = os.path.join(out, "grid")
    started = subprocess.run([grid, "start", "standalone", "--port", str(port), "--dir", run_dir],
                             capture_output=True, text=True)
    if started.returncode != 0:
        print("  grid did not start: " + started.stderr[-300:], file=sys.stderr)
        return None
    url = started.stdout.strip().splitlines()[-1]
    py = os.path.join(BENCH, ".venv", "bin", "python")
    try:
        rows = {}
        for name, args in [("direct chromedriver", []), ("Selenium Grid 4 standalone", [url])]:
            starts, cmds = [], []
            for _ in range(5):
                o = subprocess.run([py, "-c", GRID_PROBE] + args, capture_output=True, text=True)
                s, c = o.stdout.split()
                starts.append(float(s))
                cmds.append(float(c))
            rows[name] = (statistics.median(starts), statistics.median(cmds))
        # And the whole jieyue flow (web) through the Grid against direct.
        demo = Demo()
        try:
            flow = {}
            for name, extra in [("direct chromedriver", []), ("Selenium Grid 4 standalone", ["--webdriver", url])]:
                times = []
                for _ in range(5):
                    demo.reset()
                    cmd = clients("web", demo.base, out)["jieyue"] + extra
                    secs, _, code, err, _ = timed(cmd)
                    if code == 0:
                        times.append(secs)
                flow[name] = statistics.median(times) if times else float("nan")
        finally:
            demo.stop()
        return rows, flow
    finally:
        subprocess.run([grid, "stop", "--dir", run_dir], capture_output=True)


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per client and carrier (default 5)")
    ap.add_argument("--jobs", default="1,2,4", help="batch --jobs values (default 1,2,4)")
    ap.add_argument("--skip-grid", action="store_true")
    ap.add_argument("--gen", default="2024,2034",
                    help="seeds of generated platforms to run as well (default 2024,2034; '' for none)")
    a = ap.parse_args()

    out = tempfile.mkdtemp(prefix="jieyue-bench-")
    demo = Demo()
    try:
        print(f"flows: {a.runs} interleaved runs per client and carrier", file=sys.stderr)
        flows = demo_flows(demo) + gen_flows(demo, [int(x) for x in a.gen.split(",") if x], out)
        res = run_flows(flows, a.runs, out)
        print("batch throughput", file=sys.stderr)
        batch = batch_throughput(demo, out, [int(j) for j in a.jobs.split(",")])
    finally:
        demo.stop()
    grid = None if a.skip_grid else grid_overhead(out)
    shutil.rmtree(out, ignore_errors=True)

    med = lambda xs: statistics.median(xs) if xs else float("nan")
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    lines = [
        f"Machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; "
        f"{version(['chromium', '--version'])}; {version(['chromedriver', '--version']).split(' (')[0]}; "
        f"jieyue {version([JIEYUE, '--version']).split()[-1]} (release); "
        f"playwright-core {json.load(open(os.path.join(BENCH, 'node_modules', 'playwright-core', 'package.json')))['version']} "
        f"on node {version(['node', '--version'])}; selenium {version([os.path.join(BENCH, '.venv', 'bin', 'python'), '-c', 'import selenium; print(selenium.__version__)'])} "
        f"on {version([os.path.join(BENCH, '.venv', 'bin', 'python'), '--version'])}. "
        f"{a.runs} interleaved runs each; medians.",
        "",
        "| flow | jieyue | Playwright | Selenium | jieyue / Playwright | jieyue / Selenium | CPU s (machine): jieyue · Playwright · Selenium | peak memory of the client: jieyue · Playwright (node) · Selenium (python) |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for c in (f.name for f in flows):
        j, p, s = (res[(c, k)] for k in ["jieyue", "playwright", "selenium"])
        fails = "".join(f" ({r['fail']} failed)" for r in (j, p, s) if r["fail"])
        lines.append(
            f"| {c} | {med(j['secs']):.2f} s | {med(p['secs']):.2f} s | {med(s['secs']):.2f} s | "
            f"{med(j['secs']) / med(p['secs']):.2f}× | {med(j['secs']) / med(s['secs']):.2f}× | "
            f"{med(j['cpu']):.2f} · {med(p['cpu']):.2f} · {med(s['cpu']):.2f} | "
            f"{max(j['mb'] or [0]):.1f} MB · {max(p['mb'] or [0]):.1f} MB · {max(s['mb'] or [0]):.1f} MB |{fails}")
    lines += [""] + [f"- {f.name}: {f.about}" for f in flows if f.about]
    lines += ["", "| batch, 20 accounts | time | accounts / min | renewal off | exit | jieyue peak memory |",
              "|---|---:|---:|---:|---:|---:|"]
    for jobs, secs, per_min, off, code, mb in batch:
        lines.append(f"| --jobs {jobs} | {secs:.1f} s | {per_min:.1f} | {off}/20 | {code} | {mb:.1f} MB |")
    if grid:
        rows, flow = grid
        lines += ["", "| WebDriver endpoint | new session | one command (execute `return 1`) | jieyue web flow |",
                  "|---|---:|---:|---:|"]
        for name, (start, cmd) in rows.items():
            lines.append(f"| {name} | {start * 1000:.0f} ms | {cmd:.2f} ms | {flow.get(name, float('nan')):.2f} s |")
    report = "\n".join(lines) + "\n"
    print(report)
    with open(os.path.join(BENCH, "results.md"), "w") as f:
        f.write(report)


if __name__ == "__main__":
    main()
