"""Placeholder: being written (see the issue)."""

import click


@click.command(name="generate")
def generate_command():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")

@click.group(name="template")
def template_group():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")

@click.command(name="init")
def init_command():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")

@click.group(name="register")
def register_group():
    """Đang xây dựng."""
    raise click.ClickException("Lệnh này đang được xây dựng.")
