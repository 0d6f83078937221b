"""`python -m hub_app.cli`: the same as `partnerhub`."""

from hub_app.cli.main import app

app()
