"""Click parameter types shared by the commands."""

from __future__ import annotations

import datetime as dt

import click

from ..dates import FORMS_HINT, BadDate, parse_date


class DateParam(click.ParamType):
    """A day as offices write it (``22/01/2026``) or ISO; a wrong one is a usage error (exit 2)."""

    name = "NGÀY"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            day = parse_date(value)
        except BadDate as exc:
            self.fail(f"{exc}" if "không có thật" in str(exc) else f"'{value}' không phải ngày ({FORMS_HINT})",
                      param, ctx)
        if not 1900 <= day.year <= 2100:  # 31/12/9999 would overflow every count of working days
            self.fail(f"ngày '{value}' ngoài khoảng vanban xử lý (năm 1900–2100)", param, ctx)
        return day


DATE = DateParam()


def warn_if_pdf_fonts_lack_vietnamese(pdf: bool) -> None:
    """Before LibreOffice writes a PDF: say so when its serif font has no Vietnamese letters."""
    if not pdf:
        return
    from ..generate.fonts import font_warning

    message = font_warning()
    if message:
        click.echo(f"Cảnh báo: {message}", err=True)
