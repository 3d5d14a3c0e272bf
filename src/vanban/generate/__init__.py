"""Generate official documents (Nghị định 30/2020/NĐ-CP layout) from templates and data.

    data (YAML/JSON) ──validate──▶ context ──render (docxtpl, sandboxed)──▶ .docx ──(LibreOffice)──▶ .pdf

Public API: :func:`load_office`, :func:`render_document`, :func:`render_many`,
:class:`OfficeProfile`, :class:`GeneratedDocument`.
"""

from .office import OfficeProfile, Signer, Unit, load_office
from .render import GeneratedDocument, build_context, kinds, render_document, render_many, template_path

__all__ = [
    "GeneratedDocument",
    "OfficeProfile",
    "Signer",
    "Unit",
    "build_context",
    "kinds",
    "load_office",
    "render_document",
    "render_many",
    "template_path",
]
