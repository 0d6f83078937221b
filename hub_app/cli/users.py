"""`partnerhub users ...`: add, list and deactivate accounts from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hub_app.cli.common import DATA, ROOT, SYSTEM, _catalog, _or_exit, open_data
from hub_app.kernel import settings as hub_settings
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items
from hub_app.partners import accounts
from hub_app.partners.companies import UnknownCompany
from hub_app.partners.records import COMPANIES, ROLES, USERS, Company, User, user_by_email, users_of_company
from hub_app.store.base import Store

users_app = typer.Typer(help="Add, list and deactivate accounts.", no_args_is_help=True)

ROLE = typer.Option(["partner_user"], "--role", help=f"Repeat for several: {', '.join(sorted(ROLES))}.")
COMPANY = typer.Option(None, help="Company id or exact name; leave out for vendor staff.")
PASSWORD = typer.Option(
    ...,
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="HUB_NEW_PASSWORD",
    help="At least 10 characters; asked for when not given (or set HUB_NEW_PASSWORD).",
)


class UnknownCompanyName(UnknownCompany):
    """The partners' `UnknownCompany`, worded for a command line that takes an id or a name."""

    msgid = (
        "No company has the id or name '{wanted}'. List them with: partnerhub export DIR "
        "(partners.csv), or check the spelling."
    )

    def __init__(self, wanted: str):
        HubError.__init__(self, wanted=wanted)
        self.company_id = self.wanted = wanted


class UnknownJobRole(HubError):
    msgid = "Unknown job role '{wanted}'. program.yml has: {known}."

    def __init__(self, wanted: str, known: list[str]):
        super().__init__(wanted=wanted, known=Items(known))
        self.wanted = wanted


def find_company(store: Store, wanted: str) -> Company:
    """The company with this id, or else with this name (case-insensitive)."""
    by_id = store.get(COMPANIES, wanted)
    if by_id is not None:
        return by_id
    matches = [c for c in store.select(COMPANIES) if c.name.casefold() == wanted.strip().casefold()]
    if len(matches) != 1:
        raise UnknownCompanyName(wanted)
    return matches[0]


@users_app.command("add")
def add(
    email: str = typer.Option(..., help="Sign-in email."),
    name: str = typer.Option(..., help="Display name."),
    company: str | None = COMPANY,
    role: list[str] = ROLE,
    job_role: str | None = typer.Option(None, help="A job role id from program.yml (e.g. sales)."),
    password: str = PASSWORD,
    root: Path = ROOT,
    data: Path = DATA,
) -> None:
    """Create an account (acting as a program admin)."""
    program = _catalog(root).program
    known_roles = [r.id for r in program.job_roles]

    def create() -> None:
        if job_role is not None and job_role not in known_roles:
            raise UnknownJobRole(job_role, known_roles)
        store = open_data(data)
        company_id = find_company(store, company).id if company else None
        user = accounts.create_user(
            SYSTEM,
            store,
            email=email,
            display_name=name,
            password=password,
            company_id=company_id,
            roles=frozenset(role),
            job_role=job_role,
            now=datetime.now(UTC),
        )
        typer.echo(f"Added {user.display_name} <{user.email}> ({', '.join(sorted(user.roles))}).")

    _or_exit(create)


@users_app.command("list")
def list_users(company: str | None = COMPANY, data: Path = DATA) -> None:
    """List accounts, optionally of one company."""

    def show() -> None:
        store = open_data(data)
        people = users_of_company(store, find_company(store, company).id) if company else store.select(USERS)
        table = Table("Email", "Name", "Roles", "Active")
        for user in sorted(people, key=lambda u: u.email):
            table.add_row(user.email, user.display_name, ", ".join(sorted(user.roles)), "yes" if user.active else "no")
        Console().print(table)

    _or_exit(show)


def _account(store: Store, email: str) -> User:
    user = user_by_email(store, email)
    if user is None:
        raise UnknownAccount(email)
    return user


@users_app.command("deactivate")
def deactivate(email: str = typer.Argument(..., help="Sign-in email of the account."), data: Path = DATA) -> None:
    """Deactivate an account: it can no longer sign in; its certificates and points stay."""

    def run() -> None:
        store = open_data(data)
        user = _account(store, email)
        accounts.deactivate(SYSTEM, store, user.id)
        typer.echo(f"Deactivated {user.display_name} <{user.email}>.")

    _or_exit(run)


@users_app.command("reset-password")
def reset_password(email: str = typer.Argument(..., help="Sign-in email of the account."), data: Path = DATA) -> None:
    """Give an account a new one-time password (and end its lockout); it is printed once."""

    def run() -> None:
        store = open_data(data)
        user = _account(store, email)
        ttl = hub_settings.read().one_time_password_ttl
        temporary = accounts.reset_password(SYSTEM, store, user.id, datetime.now(UTC), ttl)
        typer.echo(f"{user.display_name} <{user.email}> can sign in with this one-time password: {temporary}")

    _or_exit(run)


class UnknownAccount(HubError):
    msgid = "No account uses {email}. List accounts with: partnerhub users list"

    def __init__(self, email: str):
        super().__init__(email=email)
        self.email = email
