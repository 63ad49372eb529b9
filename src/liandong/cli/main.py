"""THROWAWAY entry point for local testing of the routing commands — not committed; the lead owns cli/main.py."""

import typer

from liandong.cli.model import app as model_app
from liandong.cli.route import route_command

app = typer.Typer(no_args_is_help=True)
app.command("route")(route_command)
app.add_typer(model_app, name="model")
