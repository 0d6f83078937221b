"""`partnerhub dispatch` and `partnerhub webhooks ...` on a real data directory."""

from __future__ import annotations

import email
from pathlib import Path

from typer.testing import CliRunner

from hub_app.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, data: Path):
    return CliRunner().invoke(app, [*args, "--data", str(data)], env={"HUB_STORE": "", "HUB_SMTP_URL": ""})


def test_webhooks_are_added_listed_and_removed(tmp_path):
    added = _run("webhooks", "add", "https://crm.example.com/h", "--type", "certificate.issued", data=tmp_path)
    assert added.exit_code == 0, added.output
    hook_id = added.output.split()[1]
    assert "Signing secret: " in added.output
    listed = _run("webhooks", "list", data=tmp_path)
    assert hook_id in listed.output and "certificate.issued" in listed.output
    assert _run("webhooks", "remove", hook_id, data=tmp_path).output == f"Webhook {hook_id} removed.\n"
    gone = _run("webhooks", "remove", hook_id, data=tmp_path)
    assert gone.exit_code == 1
    assert f"No webhook has the id '{hook_id}'. Hint: partnerhub webhooks list shows them." in gone.output


def test_dispatch_without_smtp_writes_the_mails_into_the_outbox_folder(tmp_path):
    from datetime import UTC, datetime

    from hub_app.kernel.events import CERTIFICATE_REVOKED, event
    from hub_app.notifications.records import record
    from hub_app.partners.records import USERS, User
    from hub_app.store import open_store, tinydb_url

    store = open_store(tinydb_url(tmp_path))
    when = datetime(2026, 3, 2, tzinfo=UTC)
    store.add(USERS, User("u1", "ana@acme.io", "Ana", None, frozenset({"partner_user"}), None, "", when))
    facts = {"course_id": "qs-fundamentals", "verification_code": "ABCD-EFGH-JK23", "reason": "Mistake"}
    record(store, event(CERTIFICATE_REVOKED, when, ("c1", "u1"), facts, ("u1",)))
    store.close()
    result = CliRunner().invoke(
        app, ["dispatch", "--root", str(ROOT), "--data", str(tmp_path)], env={"HUB_STORE": "", "HUB_SMTP_URL": ""}
    )
    assert result.output == "1 sent, 0 failed (will retry), 0 skipped, 0 waiting for a retry.\n"
    (mail,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(mail.read_bytes())
    assert message["To"] == "ana@acme.io"
    assert message["Subject"] == "Your Quillstack Certified Associate certificate was revoked"
