"""Who may open the consoles: decided by partners.permissions, the same rule the pages' menus use."""

from __future__ import annotations

import pytest
from hub_cast import company, person, staff

from hub_app.partners import permissions
from hub_app.partners.permissions import NotAllowed
from hub_app.store.memory import MemoryStore


def test_vendor_staff_open_the_channel_manager_console_and_partners_do_not():
    store = MemoryStore()
    cm, admin = staff(store, "Cm", "channel_manager"), staff(store, "Admin", "program_admin")
    acme = company(store, "Acme", manager=cm)
    boss = person(store, acme, "Boss", admin=True)
    for actor in (cm, admin):
        permissions.require_console(actor)
    with pytest.raises(NotAllowed) as refused:
        permissions.require_console(boss)
    assert str(refused.value) == (
        f"You ({boss.email}) are not allowed to open the channel manager console. "
        "Ask your channel manager or a program admin if you need this."
    )
    assert [permissions.is_partner_admin(u) for u in (cm, admin, boss)] == [False, False, True]


def test_a_deactivated_partner_admin_is_no_partner_admin():
    store = MemoryStore()
    acme = company(store, "Acme", manager=staff(store, "Cm", "channel_manager"))
    assert not permissions.is_partner_admin(person(store, acme, "Gone", admin=True, active=False))
