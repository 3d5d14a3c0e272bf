"""Placeholder: being written (see the issue)."""

import click


@click.command(name="check")
def check_command():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")

@click.command(name="rules")
def rules_command():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")
