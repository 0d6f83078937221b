"""Lighthouse audit of the built site: home, course catalog and one lesson, in English and Chinese.

Serves site/ on a free loopback port (gzip, like any production web server), runs the pinned
Lighthouse from tools/lighthouse/ with the system Chromium, prints the four category scores per page
(the median of three runs) and the audits that lose points where a score is under the target, and
keeps the median run's JSON report per page in artifacts/lighthouse/. Exits 1 when any score is under
the target, 2 when a run fails. Run with `make audit` (which builds the site first), or
`python tools/audit.py --site DIR --runs 1` for a quick look at another build.
"""

from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "tools" / "lighthouse"
REPORTS = ROOT / "artifacts" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 0.98
PREFERRED_LESSON = "courses/qs-fundamentals/01-platform-tour/"  # a partner page, like PARTNER_PAGE
PARTNER_PAGE = "sales-kits/flow/"  # the Flow kit with its partner price list
LANG_PREFIXES = {"en": "", "zh": "zh/"}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
RUN_TIMEOUT_S = 120
# Lighthouse CI's default: the performance score moves a few points between runs on a busy machine, so
# each page is run three times and the median run is reported (the other categories do not vary).
RUNS = 3
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with gzip for text, as production hosting serves them; quiet."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the standard redirect to the slash URL
            path = path / "index.html"
        if not path.is_file():
            return self._send(404, Path(self.directory) / "404.html")
        return self._send(200, path)

    def _send(self, status: int, path: Path):
        body = path.read_bytes() if path.is_file() else b"Not found"
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(site: Path) -> ThreadingHTTPServer:
    """Start a static server for `site` on a free loopback port, in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ensure_lighthouse() -> Path:
    """The pinned Lighthouse CLI, installed from package-lock.json on first use."""
    cli = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm not found. Hint: install Node.js 20 (Lighthouse 12.2.3 runs on it).")
        command = "ci" if (LIGHTHOUSE_DIR / "package-lock.json").exists() else "install"
        print(f"Installing Lighthouse (npm {command} in {LIGHTHOUSE_DIR.relative_to(ROOT)}) ...", flush=True)
        subprocess.run([npm, command, "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True, timeout=300)
    return cli


def pages_to_audit(site: Path) -> list[str]:
    """Home, catalog and a lesson (the preferred one, else the first built), each per language."""
    lesson = PREFERRED_LESSON
    if not (site / lesson / "index.html").exists():
        lessons = sorted(p.parent for p in site.glob("courses/*/*/index.html"))
        if not lessons:
            sys.exit(f"No lesson pages in {site}. Hint: build the site first (`make site`).")
        lesson = lessons[0].relative_to(site).as_posix() + "/"
    pages = ("", "courses/", lesson) + ((PARTNER_PAGE,) if (site / PARTNER_PAGE / "index.html").exists() else ())
    return [prefix + page for prefix in LANG_PREFIXES.values() for page in pages]


def is_partner_page(site: Path, page: str) -> bool:
    """True for a page of the partner part (it carries noindex on purpose)."""
    html = site / page / "index.html"
    return html.is_file() and '<meta name="robots" content="noindex' in html.read_text(encoding="utf-8")


def report_name(page: str) -> str:
    """artifacts file name of a page: `en-home`, `zh-courses`, `en-courses_qs-fundamentals_01-platform-tour`."""
    lang = next(lang for lang, prefix in reversed(LANG_PREFIXES.items()) if page.startswith(prefix))
    rest = page.removeprefix(LANG_PREFIXES[lang]).strip("/").replace("/", "_")
    return f"{lang}-{rest or 'home'}"


def run_lighthouse(cli: Path, url: str, out: Path, partner: bool = False) -> dict:
    """One Lighthouse run (mobile, default simulated throttling); its JSON report, written to `out`. A partner
    page skips `is-crawlable`: it is kept out of search engines on purpose (noindex)."""
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    command = [
        str(cli),
        url,
        "--quiet",
        "--output=json",
        "--disable-full-page-screenshot",  # 1.2 s of each run, and megabytes of JSON nobody reads here
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        *(["--skip-audits=is-crawlable"] if partner else []),
    ]
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
    )
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"Lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def audit_page(cli: Path, url: str, out: Path, runs: int, partner: bool = False) -> tuple[dict, list[float]]:
    """The median of `runs` Lighthouse runs (written to `out`), and every run's performance score."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = [run_lighthouse(cli, url, Path(tmp) / f"run{i}.json", partner) for i in range(runs)]
    median = median_run(reports)
    out.write_text(json.dumps(median, indent=1), encoding="utf-8")
    return median, [scores(report)["performance"] for report in reports]


def median_run(reports: list[dict]) -> dict:
    """Lighthouse's own choice (core/lib/median-run.js): the run closest to the median FCP and median TTI."""

    def metric(report: dict, audit_id: str) -> float:
        return report["audits"][audit_id].get("numericValue") or 0.0

    fcp = statistics.median(metric(r, "first-contentful-paint") for r in reports)
    tti = statistics.median(metric(r, "interactive") for r in reports)
    return min(
        reports, key=lambda r: (fcp - metric(r, "first-contentful-paint")) ** 2 + (tti - metric(r, "interactive")) ** 2
    )


def scores(report: dict) -> dict[str, float]:
    return {c: report["categories"][c]["score"] or 0.0 for c in CATEGORIES}


def failing_audits(report: dict, category: str) -> list[str]:
    """Weighted audits of a category that lose points, with their score when it is not plain pass/fail."""
    audits = report["audits"]
    scored = [
        (r["id"], audits[r["id"]].get("score")) for r in report["categories"][category]["auditRefs"] if r["weight"] > 0
    ]
    return [
        audit_id if score == 0 else f"{audit_id} ({score:.2f})"
        for audit_id, score in scored
        if score is not None and score < 1
    ]


def busy_warning() -> None:
    """Say so when other processes compete for the CPU: Lighthouse scales the CPU time it observes by 4."""
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load > cores * 0.75:
        print(f"Note: load average {load:.1f} on {cores} cores; performance scores run low on a busy machine.")


def print_table(results: dict[str, dict], performance_runs: dict[str, list[float]]) -> None:
    width = max(len(page) for page in results) + 2
    print("\n" + "page".ljust(width) + "".join(c.rjust(16) for c in CATEGORIES) + "   performance runs")
    for page, report in results.items():
        row = scores(report)
        runs = " ".join(f"{score:.2f}" for score in performance_runs[page])
        print(("/" + page).ljust(width) + "".join(f"{row[c]:.2f}".rjust(16) for c in CATEGORIES) + f"   {runs}")
    for page, report in results.items():
        for category, score in scores(report).items():
            if score < TARGET:
                print(f"  /{page} {category} {score:.2f}: {', '.join(failing_audits(report, category)) or '-'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site to audit (default: site/)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per page, median reported (default: {RUNS})")
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        sys.exit(f"{args.site}/index.html is missing. Hint: build the site first (`make site`).")
    cli = ensure_lighthouse()
    REPORTS.mkdir(parents=True, exist_ok=True)
    server = serve(args.site.resolve())
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, dict] = {}
    performance_runs: dict[str, list[float]] = {}
    started = time.monotonic()
    busy_warning()
    try:
        for page in pages_to_audit(args.site):
            print(f"lighthouse {base}{page} ({args.runs}x)", flush=True)
            out = REPORTS / f"{report_name(page)}.json"
            partner = is_partner_page(args.site, page)
            results[page], performance_runs[page] = audit_page(cli, base + page, out, args.runs, partner)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(e, file=sys.stderr)
        return 2
    finally:
        server.shutdown()
    print_table(results, performance_runs)
    busy_warning()
    print(f"\n{len(results)} pages in {time.monotonic() - started:.0f} s; reports in {REPORTS.relative_to(ROOT)}/")
    below = [p for p, r in results.items() if min(scores(r).values()) < TARGET]
    if below:
        print(f"{len(below)} of {len(results)} pages score under {TARGET} in some category.")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
