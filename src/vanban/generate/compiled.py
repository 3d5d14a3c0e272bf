"""A .docx template compiled once, rendered many times: the same document as docxtpl, without re-opening it.

docxtpl opens the template with python-docx, cleans its Jinja tags out of
Word's runs (``patch_xml``), compiles every XML part, renders, re-parses and
re-serialises every part and deflates every zip member, for each letter. Most
of that is the same for every letter of a batch. :func:`compile_template` does
it once:

* the body of ``word/document.xml`` is patched and compiled in vanban's
  sandboxed Jinja environment (the same one the docxtpl path uses);
* headers and footers without a Jinja tag are rendered once, like docxtpl
  would (they come out the same for every context); tagged ones are compiled;
* the core properties and footnotes are rendered once when they have no tag
  (a template with tags there goes through docxtpl: :attr:`CompiledTemplate.supported`);
* the package is saved once through python-docx, and every zip member is kept
  with its name, its order and its deflated bytes.

:meth:`CompiledTemplate.render` then renders the body (and any tagged header
or footer) to a string, applies docxtpl's post-processing (the ``\\n<w:p``
markers, ``{_{`` escapes, ``resolve_listing`` for ``\\n``/``\\t``/``\\a``/``\\f``
in the text, ``fix_tables``, the ``wp:docPr`` ids from 1001), puts the body in
the document's root as ``map_tree`` does and serialises it as python-docx would;
:meth:`CompiledTemplate.write` writes the zip from the cached members. The
member bytes are those docxtpl writes (``tests/generate/test_compiled.py``
compares every part of every bundled kind); only the zip's timestamps differ,
as they do between two docxtpl runs.

Images (``InlineImage``) and sub-documents add parts to the package per
letter: those renders go through docxtpl (``render._render_to_temp``).
"""

from __future__ import annotations

import os
import re
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Optional

import jinja2
from docx.opc.oxml import parse_xml as opc_parse_xml, serialize_part_xml
from docxtpl import DocxTemplate

_TAG = re.compile(r"\{[{%#]")
_BREAK_BEFORE_P = re.compile(r"<w:p([ >])")
_MARKED_P = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = ("\t", "\a", "\n", "\f")
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl.render_properties
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass
class _Member:
    name: str
    data: bytes  # uncompressed
    deflated: bytes
    crc: int


def _deflate(data: bytes) -> bytes:
    """What ``zipfile`` writes for a ZIP_DEFLATED member at the default level (python-docx's writer)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _member(name: str, data: bytes) -> _Member:
    return _Member(name, data, _deflate(data), zlib.crc32(data) & 0xFFFFFFFF)


@dataclass
class _TemplatedPart:
    """A header or footer with Jinja tags: rendered per letter."""
    name: str  # zip member name (word/header1.xml)
    template: jinja2.Template
    encoding: str


@dataclass
class CompiledTemplate:
    """A template ready to render, one per process; renders of one template take turns (the web app's
    threads): the document's root is reused."""
    source: str
    members: list[_Member]
    body_index: int  # position of word/document.xml in ``members``
    body: jinja2.Template
    root: Any  # the document's root element (python-docx's), whose body is replaced per letter
    parts: dict[int, _TemplatedPart] = field(default_factory=dict)  # member index → templated header/footer
    supported: bool = True  # False: core properties or footnotes carry tags → render through docxtpl
    _helper: Optional[DocxTemplate] = None
    _current_body: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ------------------------------------------------------------------ rendering

    def _post_process(self, xml: str) -> str:
        """docxtpl's ``render_xml_part`` after ``template.render``."""
        xml = _MARKED_P.sub(r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in _LISTING_CHARS):  # without them resolve_listing changes nothing
            xml = self._helper.resolve_listing(xml)
        return xml

    def render(self, context: dict) -> list[bytes | None]:
        """The member bytes that change with ``context`` (None where the cached member stays)."""
        out: list[bytes | None] = [None] * len(self.members)
        xml = self._post_process(self.body.render(context))
        with self._lock:
            tree = self._helper.fix_tables(xml)
            self._helper.docx_ids_index = 1000
            self._helper.fix_docpr_ids(tree)
            self.root.replace(self._current_body, tree)
            self._current_body = tree
            out[self.body_index] = serialize_part_xml(self.root)
        for index, part in self.parts.items():
            xml = self._post_process(part.template.render(context))
            out[index] = serialize_part_xml(opc_parse_xml(xml.encode(part.encoding)))
        return out

    def write(self, fh: BinaryIO, rendered: list[bytes | None]) -> None:
        """The zip: cached members deflated once, rendered ones deflated now, in the template's order."""
        _write_zip(fh, [self.members[i] if data is None else _member(self.members[i].name, data)
                        for i, data in enumerate(rendered)])


def _dos_time(now: float) -> tuple[int, int]:
    t = time.localtime(now)
    return (t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec // 2), \
        ((t.tm_year - 1980) << 9) | (t.tm_mon << 5) | t.tm_mday


def _write_zip(fh: BinaryIO, members: list[_Member]) -> None:
    """A plain zip (no zip64: a letter is far below 4 GB), members deflated, with the fields zipfile writes."""
    dostime, dosdate = _dos_time(time.time())
    chunks, central = [], []
    offset = 0
    for m in members:
        name = m.name.encode("utf-8")
        flags = 0 if m.name.isascii() else 0x800  # UTF-8 name
        header = struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, flags, zlib.DEFLATED, dostime, dosdate,
                             m.crc, len(m.deflated), len(m.data), len(name), 0)
        chunks += (header, name, m.deflated)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 3, 20, 0, flags, zlib.DEFLATED, dostime,
                                   dosdate, m.crc, len(m.deflated), len(m.data), len(name), 0, 0, 0, 0,
                                   0o600 << 16, offset) + name)
        offset += len(header) + len(name) + len(m.deflated)
    directory = b"".join(central)
    chunks += (directory, struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(members), len(members), len(directory),
                                      offset, 0))
    fh.write(b"".join(chunks))


def _tagged(text: Optional[str]) -> bool:
    return bool(text) and _TAG.search(text) is not None


def compile_template(tpl: DocxTemplate, env: jinja2.Environment) -> CompiledTemplate:
    """Patch and compile the opened template ``tpl`` once (the caller maps errors to messages, as for a
    render through docxtpl, and opens the file: its errors are not the template's Jinja)."""
    import io
    import zipfile

    tpl.render_init()
    body = env.from_string(_BREAK_BEFORE_P.sub(r"\n<w:p\1", tpl.patch_xml(tpl.get_xml())))
    supported = not any(_tagged(getattr(tpl.docx.core_properties, p)) for p in PROPERTIES)
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            supported = supported and not _tagged(tpl.patch_xml(blob))
    templated: dict[str, _TemplatedPart] = {}
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        rendered = []
        for rel_key, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            encoding = tpl.get_headers_footers_encoding(xml)
            patched = tpl.patch_xml(xml)
            name = str(part.partname).lstrip("/")
            if _tagged(patched):
                templated[name] = _TemplatedPart(name, env.from_string(_BREAK_BEFORE_P.sub(r"\n<w:p\1", patched)),
                                                 encoding)
            else:  # the same for every context: rendered once, as docxtpl renders it each time
                rendered.append((rel_key, tpl.render_xml_part(patched, part, {}, env).encode(encoding)))
        for rel_key, xml in rendered:  # after the walk over the rels
            tpl.map_headers_footers_xml(rel_key, xml)
    if supported:
        tpl.render_properties({}, env)
        tpl.render_footnotes({}, env)
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as saved:
        members = [_member(info.filename, saved.read(info)) for info in saved.infolist()]
    names = [m.name for m in members]
    root = tpl.docx.part._element
    return CompiledTemplate(source=str(tpl.template_file), members=members,
                            body_index=names.index(str(tpl.docx.part.partname).lstrip("/")), body=body, root=root,
                            parts={names.index(n): p for n, p in templated.items()}, supported=supported,
                            _helper=tpl, _current_body=root.body)


_CACHE: dict[tuple, CompiledTemplate] = {}
_CACHE_LIMIT = 16


def cache_key(path: Path, env: jinja2.Environment) -> tuple:
    """The file as it is now (a template edited between two runs of a process is compiled again)."""
    st = os.stat(path)
    return (str(Path(path).resolve()), st.st_size, st.st_mtime_ns, st.st_ino, id(env))


def cached(key: tuple) -> Optional[CompiledTemplate]:
    return _CACHE.get(key)


def remember(key: tuple, compiled: CompiledTemplate) -> CompiledTemplate:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = compiled
    return compiled
