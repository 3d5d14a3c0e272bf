"""Digitally signed PDFs for the tests: a self-signed certificate and pyHanko.

A real CA is not needed to test what vanban reads from a signature (signer,
organisation, time, changes after signing); the certificate's trust is not judged.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path


def _self_signed(common_name: str, organization: str):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def self_signed_signer(common_name: str, organization: str):
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert = _self_signed(common_name, organization)
    key_der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    asn1_cert = asn1_x509.Certificate.load(cert_der)
    return signers.SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )


def sign_pdf(source: Path, target: Path, field: str, signer, box=None) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        spec = fields.SigFieldSpec(field, on_page=0, box=box) if box else None
        meta = signers.PdfSignatureMetadata(field_name=field)
        out = io.BytesIO()
        signers.PdfSigner(meta, signer=signer, new_field_spec=spec).sign_pdf(writer, output=out)
    target.write_bytes(out.getvalue())


def draw_after_signing(source: Path, target: Path) -> None:
    """An incremental update that changes what page 1 shows (a filled square), after the signatures."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with open(source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        stream = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 50 50 200 200 re f"))
        writer.add_stream_to_page(0, stream)
        out = io.BytesIO()
        writer.write(out)
    target.write_bytes(out.getvalue())
