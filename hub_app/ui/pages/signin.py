"""Sign in (the first page of a signed-out visitor)."""

from hub_app.ui.web import session, signin

signin.form(session.language())
