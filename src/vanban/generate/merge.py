"""Merge generated documents into one file for printing.

Each document becomes its own section (next-page break, page numbers
restarting at 1, no number on its first page), so the merged file prints
exactly like the separate letters. Images are re-linked into the merged file.
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..errors import ConfigError
from ..outfiles import atomic_path

_R_EMBED = qn("r:embed")


def _section_break(sect_pr) -> object:
    """A paragraph ending a section with the given properties, page numbers restarting at 1."""
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    sect = copy.deepcopy(sect_pr)
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    # pgNumType goes after pgMar/pgSz in the schema order; before cols when present
    cols = sect.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(numbering)
    else:
        sect.append(numbering)
    ppr.append(sect)
    paragraph.append(ppr)
    return paragraph


def merge_documents(paths: list[Path], target: Path) -> Path:
    if not paths:
        raise ConfigError("không có văn bản nào để gộp")
    try:
        merged = open_docx(str(paths[0]))
    except Exception as exc:
        raise ConfigError(f"không mở được văn bản để gộp ({exc})", paths[0]) from None
    body = merged.element.body
    final_sect = body.find(qn("w:sectPr"))
    for path in paths[1:]:
        source = open_docx(str(path))
        # close the previous document's section
        final_sect.addprevious(_section_break(final_sect))
        for element in source.element.body.iterchildren():
            if element.tag == qn("w:sectPr"):
                continue
            clone = copy.deepcopy(element)
            for blip in clone.iter(qn("a:blip")):
                rel_id = blip.get(_R_EMBED)
                if rel_id and rel_id in source.part.rels:
                    image_part = source.part.rels[rel_id].target_part
                    blip.set(_R_EMBED, merged.part.relate_to(image_part, RT.IMAGE))
            final_sect.addprevious(clone)
    start = final_sect.find(qn("w:pgNumType"))
    if start is None and len(paths) > 1:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        cols = final_sect.find(qn("w:cols"))
        (cols.addprevious(numbering) if cols is not None else final_sect.append(numbering))
    with atomic_path(target, suffix=".docx") as tmp:
        merged.save(tmp)
    return target
