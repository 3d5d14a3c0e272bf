"""Placeholder: being written (see the issue)."""

import click


@click.group(name="tasks")
def tasks_group():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")
