"""`partnerhub ...`: check content, build and serve the site and app, and the program's chores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from hub_app import store as stores
from hub_app.catalog import Catalog, ContentError, bank_quality, load_catalog
from hub_app.certification import certificates as certification
from hub_app.cli import funds as fund_jobs
from hub_app.cli.awards import close_period, export_hall_of_fame
from hub_app.cli.common import DATA, ROOT, SYSTEM, HubCommands, _catalog, _or_exit, data_url, open_data
from hub_app.cli.copy_store import copy_store
from hub_app.cli.deal_jobs import start_daily_expiry
from hub_app.cli.migrate import migrate
from hub_app.cli.notify import dispatch, webhooks_app
from hub_app.cli.site_command import serve_site
from hub_app.cli.users import users_app
from hub_app.deals import registration as deal_registration
from hub_app.interchange import aiken, banks, gift
from hub_app.interchange import csv_exports as exports
from hub_app.interchange.drafts import DraftSet
from hub_app.kernel import settings as hub_settings
from hub_app.kernel.errors import HubError
from hub_app.partners.records import USERS
from hub_app.store.base import Store
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews

app = typer.Typer(
    cls=HubCommands,
    help="Partner Hub: enablement site, certification exams, tiers and leaderboards.",
    no_args_is_help=True,
    add_completion=False,
)


app.add_typer(users_app, name="users")
app.command()(migrate)
app.command("copy-store")(copy_store)
import_app = typer.Typer(help="Import data from files; nothing is imported while any row is bad.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(webhooks_app, name="webhooks")
app.command("dispatch")(dispatch)
app.command("serve-site")(serve_site)
app.command("close-period")(close_period)

KPI_FILE = typer.Argument(..., exists=True, dir_okay=False, help="CSV: company_id,period,revenue_12m,customers,csat")
BACKUP_TO = typer.Argument(..., dir_okay=False, help="The backup file to write.")
BACKUP_FROM = typer.Argument(..., exists=True, dir_okay=False, help="A file written by partnerhub backup.")
EXPORT_DIR = typer.Argument(..., file_okay=False, help="Folder to write the CSV files into.")


@app.callback()
def main() -> None:
    """Partner Hub's command line; run a command with --help for its options."""


@app.command()
def check(root: Path = ROOT) -> None:
    """Validate program.yml and every course; print every problem as path:line: key: message."""
    try:
        catalog = load_catalog(root)
    except ContentError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    items = sum(len(c.exam.items) for c in catalog.courses.values() if c.exam)
    typer.echo(
        f"Content OK: {len(catalog.program.tiers)} tiers, {len(catalog.courses)} courses, "
        f"{sum(len(c.lessons) for c in catalog.courses.values())} lessons, {items} exam items."
    )
    warnings = bank_quality.bank_warnings(catalog)
    if warnings:
        typer.echo(f"{len(warnings)} bank-quality warning{'s' if len(warnings) != 1 else ''} (the exams still work):")
        typer.echo("\n".join(str(w) for w in warnings))
    _check_site_content(root)


def _check_site_content(root: Path) -> None:
    from hub_app.publishing.content_checks import check_site_content

    report = check_site_content(root)
    if report.warnings:
        count = len(report.warnings)
        typer.echo(f"{count} site warning{'s' if count != 1 else ''} (glossary, translations; the site still builds):")
        typer.echo("\n".join(str(w) for w in report.warnings))
    if report.errors:
        typer.echo("\n".join(str(e) for e in report.errors), err=True)
        raise typer.Exit(1)


def _flag_recertification(catalog: Catalog, store: Store, now: datetime) -> None:
    flagged = certification.flag_recertification(catalog, store, now)
    if flagged:
        typer.echo(
            f"{len(flagged)} certificate(s) predate a new major course version: their holders must recertify "
            f"by {flagged[0].recertify_by:%Y-%m-%d}."
        )


@app.command("evaluate-tiers")
def evaluate_tiers(root: Path = ROOT, data: Path = DATA) -> None:
    """Flag certificates a new major course version outdates, then evaluate every partner's tier, propose
    promotions and due demotions, and flag tiers at risk."""
    catalog, store, now = _catalog(root), open_data(data), datetime.now(UTC)
    _flag_recertification(catalog, store, now)
    summary = tier_reviews.evaluate_all(SYSTEM, store, catalog, now)
    table = Table("Company", "Tier", "Qualifies for", "Proposal", "At risk")
    for o in summary.outcomes:
        ev, made = o.evaluation, o.proposed
        proposal = (
            f"new: {made.kind} to {made.to_tier}"
            if made
            else (f"pending: {o.pending.kind} to {o.pending.to_tier}" if o.pending else "")
        )
        risk = f"{ev.at_risk_on:%Y-%m-%d}: {ev.at_risk_reason}" if ev.at_risk_on else ""
        table.add_row(ev.company_name, ev.current_tier, ev.qualifies_for, proposal, risk)
    Console().print(table)
    typer.echo(
        f"{len(summary.outcomes)} companies evaluated, {summary.proposals_made} proposals made, "
        f"{summary.at_risk} at risk before the next review."
    )


def _start_jobs(catalog: Catalog, store: Store, now: datetime) -> None:
    """What serve does before it starts: flag outdated certificates, expire deals whose protection ran out."""
    _flag_recertification(catalog, store, now)
    expired = deal_registration.expire_deals(store, now, SYSTEM)
    if expired:
        typer.echo(f"{len(expired)} deal registration(s) expired.")
    said = fund_jobs.run(catalog, store, now)
    if said:
        typer.echo(said)


app.command("fund-jobs")(fund_jobs.fund_jobs)


@app.command("expire-deals")
def expire_deals(data: Path = DATA) -> None:
    """End the protection of approved deal registrations whose window (with any extension) has run out."""
    expired = deal_registration.expire_deals(open_data(data), datetime.now(UTC), SYSTEM)
    typer.echo(f"{len(expired)} deal registration(s) expired.")


@import_app.command("kpis")
def import_kpis(file: Path = KPI_FILE, data: Path = DATA) -> None:
    """Import company KPIs from a CSV file: every row, or none when any row is bad."""
    store = open_data(data)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("Importing KPIs", total=None)
            done = kpis.import_kpis_csv(
                SYSTEM, store, file, datetime.now(UTC), on_row=lambda i, n: progress.update(task, completed=i, total=n)
            )
    except kpis.ImportRejected as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"Nothing was imported: {len(e.problems)} problem(s). Fix them and import again.", err=True)
        raise typer.Exit(1) from e
    except HubError as e:  # a full disk, a damaged database: nothing was imported either
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    typer.echo(f"Imported {len(done)} KPI rows from {file}.")


class _CsvByDefault(typer.core.TyperGroup):
    """`export DIR` stays the CSV export; `export gift ...` names another format."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["csv", *args]
        return super().parse_args(ctx, args)


export_app = typer.Typer(
    cls=_CsvByDefault, help="Export data: `export DIR` (CSV files) or `export gift`.", no_args_is_help=True
)
app.add_typer(export_app, name="export")
QUIZ_FILE = typer.Argument(..., exists=True, dir_okay=False, help="The quiz file to import.")
COURSE = typer.Option(..., "--course", help="Id of the course whose exam bank receives the questions.")
GIFT_DOMAIN = typer.Option(None, "--domain", help="Blueprint domain of questions with no $CATEGORY above them.")
AIKEN_DOMAIN = typer.Option(..., "--domain", help="Blueprint domain of every question.")
GIFT_OUT = typer.Argument(None, dir_okay=False, help="The GIFT file to write (default: standard output).")


def _import_quiz(file: Path, root: Path, course: str, read: Callable[[str], DraftSet]) -> None:
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        typer.echo(f"{file}:{line}: not UTF-8 text ({e.reason}); save the file as UTF-8 and import again", err=True)
        raise typer.Exit(1) from e
    try:
        items = banks.import_items(root, course, read(text))
    except banks.ImportRejected as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"Nothing was imported: {len(e.problems)} problem(s). Fix them and import again.", err=True)
        raise typer.Exit(1) from e
    except (HubError, ContentError) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    ids = ", ".join(it["id"] for it in items)
    typer.echo(f"Imported {len(items)} questions from {file} into courses/{course}/exam.yml: {ids}.")


@import_app.command("gift")
def import_gift(
    file: Path = QUIZ_FILE, course: str = COURSE, domain: str | None = GIFT_DOMAIN, root: Path = ROOT
) -> None:
    """Append the questions of a Moodle GIFT file to a course's exam bank: all of them, or none when any is bad."""
    _import_quiz(file, root, course, lambda text: gift.read_gift(text, str(file), domain))


@import_app.command("aiken")
def import_aiken(file: Path = QUIZ_FILE, course: str = COURSE, domain: str = AIKEN_DOMAIN, root: Path = ROOT) -> None:
    """Append the questions of an Aiken file to a course's exam bank: all of them, or none when any is bad."""
    _import_quiz(file, root, course, lambda text: aiken.read_aiken(text, str(file), domain))


@export_app.command("gift")
def export_gift(out: Path | None = GIFT_OUT, course: str = COURSE, root: Path = ROOT) -> None:
    """Write a course's exam bank as GIFT for another LMS. It holds the answer key: keep it private."""
    found = _catalog(root).courses.get(course)
    if found is None or found.exam is None:
        typer.echo(f"No course '{course}' with an exam bank.", err=True)
        raise typer.Exit(1)
    text = gift.write_gift(found.exam, found.meta.title.en)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote {len(found.exam.items)} questions of {course} to {out}.")


@export_app.command("csv")
def export(directory: Path = EXPORT_DIR, data: Path = DATA) -> None:
    """Export partners, certificates and the points ledger as CSV files."""
    counts = exports.export_all(SYSTEM, open_data(data), directory)
    for name, rows in counts.items():
        typer.echo(f"{directory / name}: {rows} rows")


@app.command()
def backup(file: Path = BACKUP_TO, data: Path = DATA) -> None:
    """Write a consistent copy of the hub's database to FILE; the app may keep running."""
    _or_exit(lambda: stores.backup(data_url(data), file))
    typer.echo(f"Backed up {data} to {file}. Restore it with: partnerhub restore {file}")


@app.command()
def restore(file: Path = BACKUP_FROM, data: Path = DATA) -> None:
    """Replace the hub's database with the backup FILE, after checking all of it; a running app follows."""
    _or_exit(lambda: stores.restore(data_url(data), file))
    typer.echo(f"Restored {data} from {file}.")


# --- demo world and serving --------------------------------------------------------------------------


class Scale(StrEnum):
    demo = "demo"
    program = "program"


SEED = typer.Option(1, help="Seed of the world: the same seed (at the same moment) gives the same world.")
SCALE = typer.Option(Scale.demo, help="demo: ~40 companies, ~300 people; program: 1,000 companies, 10,000 people.")
FORCE = typer.Option(False, "--force", help="Replace a database that already holds data (it is moved aside).")
SITE_PORT = typer.Option(8000, help="Port of the enablement site on 127.0.0.1.")
APP_PORT = typer.Option(8501, help="Port of the hub app on 127.0.0.1.")
SITE_DIR = typer.Option(None, help="Where to build the site (default: site/ in the project folder).")


def _seed(data: Path, catalog: Catalog, seed: int, scale: str, force: bool, sign_ins: bool = True) -> None:
    from hub_app.demo import seed as demo
    from hub_app.store import DB_FILE

    database = data / DB_FILE
    store = open_data(data)
    if force and store.select(USERS):
        store.close()
        aside = database.with_name(f"{DB_FILE}.replaced-{datetime.now(UTC):%Y%m%d-%H%M%S}")
        database.rename(aside)
        typer.echo(f"Moved the existing database aside to {aside}.")
        store = open_data(data)
    try:
        with Progress(transient=True) as progress:
            tasks: dict[str, object] = {}

            def report(stage: str, done: int, total: int) -> None:
                task = tasks.get(stage) or tasks.setdefault(stage, progress.add_task(stage, total=total))
                progress.update(task, completed=done, total=total)  # type: ignore[arg-type]

            summary = demo.seed_demo(
                store,
                catalog,
                datetime.now(UTC),
                seed=seed,
                scale=scale,  # type: ignore[arg-type]
                where=f"The data directory {data}",
                on_progress=report,
                blob_dir=hub_settings.read().blob_dir or data / "uploads",
            )
    except demo.StoreNotEmpty as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    else:
        export_hall_of_fame(store, catalog, data)
    finally:
        store.close()
    typer.echo(
        f"Seeded {summary.companies:,} companies, {summary.users:,} users, {summary.attempts:,} exam attempts, "
        f"{summary.certificates:,} certificates and {summary.ledger_entries:,} ledger entries into {data}."
    )
    if sign_ins:
        _print_sign_ins()


def _print_sign_ins() -> None:
    from hub_app.demo import seed as demo

    table = Table("Demo sign-in", "Email", title=f"Every demo account's password: {demo.DEMO_PASSWORD}")
    for sign_in in demo.SIGN_INS:
        table.add_row(sign_in.who, sign_in.email)
    Console().print(table)


@app.command("seed-demo")
def seed_demo(
    seed: int = SEED, scale: Scale = SCALE, data: Path = DATA, root: Path = ROOT, force: bool = FORCE
) -> None:
    """Fill an empty data directory with a demo partner program: 18 months of exams, points, KPIs and tiers."""
    _seed(data, _catalog(root), seed, scale.value, force)


@app.command()
def serve(
    site_port: int = SITE_PORT,
    app_port: int = APP_PORT,
    data: Path = DATA,
    root: Path = ROOT,
    site_dir: Path | None = SITE_DIR,
) -> None:
    """Check the content, build the site, seed a demo world on first start, and serve site and app."""
    from hub_app.cli import serve as serving
    from hub_app.store import DB_FILE

    catalog = _catalog(root)
    settings = serving.Settings(
        root.resolve(), data.resolve(), (site_dir or root / "site").resolve(), site_port, app_port
    )
    console = Console()
    try:
        serving.check_port(site_port, "--site-port")
        serving.check_port(app_port, "--app-port")
        if not (settings.data_dir / DB_FILE).exists():  # seeded first: the site's hall of fame reads its export
            typer.echo(f"First start: seeding the demo world into {settings.data_dir}.")
            _seed(settings.data_dir, catalog, 1, "demo", force=False, sign_ins=False)  # printed once started
        with console.status("Building the site (mkdocs build --strict)..."):
            serving.build_site(settings)
    except HubError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    store = open_data(settings.data_dir)  # courses may have a new major version since the last start
    _start_jobs(catalog, store, datetime.now(UTC))
    store.close()
    from hub_app.cli.notify import start_background

    _, stop_dispatch = start_background(catalog, settings.data_dir)  # the outbox, delivered while serving
    _, stop_expiry = start_daily_expiry(settings.data_dir)
    try:
        code = _serve(settings, console)
    finally:
        stop_dispatch.set()
        stop_expiry.set()
    raise typer.Exit(code)


def _serve(settings: object, console: Console) -> int:
    from hub_app.cli import serve as serving

    assert isinstance(settings, serving.Settings)
    site = serving.site_server(settings).start()
    process = None
    try:
        if serving.APP_SCRIPT.exists():
            log = settings.data_dir / "app.log"
            process = serving.start_app(settings, log)
            with console.status("Starting the hub app..."):
                healthy = serving.wait_healthy(settings.app_url, process)
            if not healthy:
                typer.echo(str(serving.AppDidNotStart(settings.app_url, log.read_text(errors="replace"))), err=True)
                return 1
        else:
            typer.echo(f"{serving.APP_SCRIPT} does not exist yet: serving the site only.")
        console.print(f"Site: {settings.site_url}/")
        if process is not None:
            console.print(f"App:  {settings.app_url}/")
        _print_sign_ins()
        console.print("Press Ctrl-C to stop.")
        code = serving.wait_for_stop(process)
        if code:
            typer.echo(f"The hub app stopped unexpectedly; see {settings.data_dir / 'app.log'}.", err=True)
        return code
    finally:
        if process is not None:
            serving.stop_app(process)
        site.stop()


if __name__ == "__main__":
    app()
