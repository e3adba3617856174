"""Real PDFs for the evidence tests: a hand-written one, signed with pyHanko and a self-signed
certificate made here with ``cryptography``, and one changed after signing."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import keys as akeys
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(text: str = "Bao cao ket qua CCHC", *, pages: int = 1, padding: int = 0) -> bytes:
    """A small valid PDF with ``pages`` pages of Helvetica text; ``padding`` adds a comment."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font_id = 3
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for n in range(pages):
        content = b"BT /F1 20 Tf 72 760 Td (" + _escape(f"{text} - trang {n + 1}") + b") Tj ET"
        if padding:
            content += b"\n%" + b"x" * padding
        content_id = len(objs) + 1
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        page_id = len(objs) + 1
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font_id, content_id)
        )
        kids.append(page_id)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        pages,
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@dataclass
class Identity:
    signer: signers.SimpleSigner
    common_name: str
    organization: str


def make_identity(
    common_name: str = "Nguyễn Văn A", organization: str = "Sở Tư pháp tỉnh Bắc Giang"
) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    acert = ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    akey = akeys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=acert,
        signing_key=akey,
        cert_registry=SimpleCertificateStore.from_certs([acert]),
    )
    return Identity(signer=signer, common_name=common_name, organization=organization)


def sign(data: bytes, identity: Identity, *, field: str = "Signature1") -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name=field), signer=identity.signer
    )
    return out.getvalue()


def tamper(signed: bytes, text: str = "Noi dung da bi sua") -> bytes:
    """An incremental update after signing that replaces the first page's content."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(
        stream_data=b"BT /F1 20 Tf 72 700 Td (" + _escape(text) + b") Tj ET"
    )
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def flip_signed_byte(signed: bytes) -> bytes:
    """Change one byte inside the signed range (the page text): the signature breaks."""
    pos = signed.index(b"trang 1")
    return signed[:pos] + b"T" + signed[pos + 1 :]


def sleeping_inspector(path: str, trust_roots: list[str]) -> None:
    """Stands in for the inspection in its child process: never answers in time."""
    import time

    time.sleep(60)


def greedy_inspector(path: str, trust_roots: list[str]) -> None:
    """Stands in for the inspection of a PDF bomb in its child process: asks for 2 GB."""
    blocks = []
    for _ in range(64):
        blocks.append(bytearray(32 * 1024 * 1024))
    raise AssertionError(f"no memory limit: {len(blocks)} blocks")
