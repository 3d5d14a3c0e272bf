"""Placeholder: being written (see the issue)."""

import click


@click.command(name="inspect")
def inspect_command():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")
