"""Rendering and signing the demo's evidence PDFs: pure functions, no Django, so that
``run_jobs`` can spread the work over a few processes (WeasyPrint needs ~40 ms a page).

- Layout after Nghị định 30/2020/NĐ-CP: issuing body and national motto side by side, number
  and place/date, title and subject, body, recipients (Nơi nhận) and signature block; a signed
  document shows the usual red "Ký bởi …" box (the PDF signature itself is invisible).
- Signatures: one self-signed certificate per signer, made at build time with ``cryptography``
  (ECDSA P-256 — signing takes ~10 ms against ~75 ms with RSA in pyHanko —, subject
  "CN=<name>, O=<body> tỉnh Bắc Giang, C=VN"), dated on the document's day, so last year's
  files were signed last year. Nothing here is a real certificate: the app reports the files
  as signed and intact, not trusted.
"""

from __future__ import annotations

import atexit
import datetime as dt
import html
import io
import multiprocessing
import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as akeys
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from parindex.demo.documents import KINDS, Doc

FONTS = Path(__file__).resolve().parent.parent / "reports" / "fonts"

CSS = """
@font-face { font-family: DocSerif; src: url('%(regular)s'); }
@font-face { font-family: DocSerif; font-weight: bold; src: url('%(bold)s'); }
@font-face { font-family: DocSerif; font-style: italic; src: url('%(italic)s'); }
@font-face { font-family: DocSerif; font-weight: bold; font-style: italic;
             src: url('%(bolditalic)s'); }
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: DocSerif; font-size: 13.5pt; line-height: 1.3; }
table { width: 100%%; border-collapse: collapse; }
.head td { text-align: center; vertical-align: top; font-size: 12.5pt; line-height: 1.2; }
.head .left { width: 42%%; }
.u { border-bottom: 0.8pt solid black; padding-bottom: 1pt; }
.num td { text-align: center; font-size: 13pt; padding-top: 6pt; }
.vv { font-size: 12pt; }
h1 { text-align: center; font-size: 14pt; margin: 18pt 0 0; }
.subject { text-align: center; font-weight: bold; margin: 0 0 12pt; }
.subject:after { content: ""; display: block; width: 40mm; margin: 2pt auto 0;
                 border-bottom: 0.8pt solid black; }
p { text-align: justify; text-indent: 1cm; margin: 0 0 5pt; }
p.sec { font-weight: bold; text-indent: 0; margin-top: 8pt; }
p.mid { text-align: center; text-indent: 0; font-weight: bold; margin: 8pt 0; }
.sign { margin-top: 12pt; }
.sign td { vertical-align: top; }
.to { font-size: 11pt; line-height: 1.15; width: 50%%; }
.to b { font-size: 12pt; }
.by { text-align: center; }
.name { margin-top: 22mm; font-weight: bold; }
.stamp { margin: 4mm auto 0; width: 62mm; border: 1pt solid #c0392b; color: #c0392b;
         font-size: 9pt; line-height: 1.2; padding: 2pt 4pt; text-align: left; }
.annex { page-break-before: always; }
.annex table { font-size: 11.5pt; }
.annex th, .annex td { border: 0.6pt solid black; padding: 2pt 4pt; vertical-align: top; }
"""

TASKS = [
    ("Ban hành Kế hoạch cải cách hành chính năm", "Văn phòng", "Tháng 01"),
    ("Kiểm tra công tác cải cách hành chính", "Văn phòng", "Quý II, III"),
    ("Tuyên truyền cải cách hành chính", "Văn phòng", "Cả năm"),
    ("Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "Pháp chế", "Quý II"),
    ("Rà soát, đơn giản hóa thủ tục hành chính", "Các phòng chuyên môn", "Quý III"),
    ("Công khai thủ tục hành chính trên Cổng Dịch vụ công", "Văn phòng", "Thường xuyên"),
    ("Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Bộ phận Một cửa", "Thường xuyên"),
    ("Cập nhật vị trí việc làm, cơ cấu ngạch công chức", "Tổ chức cán bộ", "Quý II"),
    ("Bồi dưỡng công chức, viên chức theo kế hoạch", "Tổ chức cán bộ", "Cả năm"),
    ("Rà soát Quy chế chi tiêu nội bộ", "Kế hoạch - Tài chính", "Quý I"),
    ("Duy trì Hệ thống quản lý chất lượng TCVN ISO 9001:2015", "Văn phòng", "Cả năm"),
    ("Ký số văn bản đi, gửi nhận trên môi trường điện tử", "Các phòng chuyên môn", "Cả năm"),
]

WEAKNESSES = [
    "Một số nhiệm vụ còn chậm so với kế hoạch do phải chờ hướng dẫn của bộ, ngành Trung ương.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính ở một số lĩnh vực chưa đạt yêu "
    "cầu; hạ tầng công nghệ thông tin chưa đồng bộ.",
    "Nhân lực làm công tác cải cách hành chính còn kiêm nhiệm, thay đổi thường xuyên.",
]


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vn_pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}".replace(".", ",") if den else "0"


@dataclass
class Issuer:
    """Who issues and signs a document: the header lines, number code, place, signature."""

    code: str
    top: str
    name: str
    abbr: str
    place: str
    in_text: str
    org: str
    signer: str
    sign_title: list[str]
    decision_title: list[str]
    proposer: str
    executors: str
    superior: str
    recipients: list[str]
    archive: str
    legal: str
    clerk: str = ""
    plan_owner: str = "UBND tỉnh Bắc Giang"


@dataclass(frozen=True)
class SigningKey:
    """A demo signer: the private key (PKCS#8 DER) and its self-signed certificate (DER)."""

    key: bytes
    cert: bytes


def make_signing_key(common_name: str, organization: str, year: int) -> SigningKey:
    """A self-signed certificate "CN=<name>, O=<organization>, C=VN", valid around ``year``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    start = dt.datetime(year - 2, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=5 * 365))
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
    return SigningKey(
        key=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert=cert.public_bytes(serialization.Encoding.DER),
    )


_signers: dict[bytes, Any] = {}


def sign_pdf(data: bytes, signing: SigningKey, when: dt.datetime, location: str) -> bytes:
    """Sign ``data`` (an invisible signature) as of ``when``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = _signers.get(signing.cert)
    if signer is None:
        cert = ax509.Certificate.load(signing.cert)
        signer = _signers[signing.cert] = signers.SimpleSigner(
            signing_cert=cert,
            signing_key=akeys.PrivateKeyInfo.load(signing.key),
            cert_registry=SimpleCertificateStore.from_certs([cert]),
        )

    class DatedSigner(signers.PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = when
            return session

    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", reason="Ký số văn bản điện tử", location=location
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return DatedSigner(meta, signer=signer).sign_pdf(writer, bytes_reserved=6000).getvalue()


_style: dict[str, Any] = {}


def render_html(body: str) -> bytes:
    """One PDF from the body HTML (the stylesheet and fonts are loaded once per process)."""
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if not _style:
        fonts = FontConfiguration()
        urls = {
            "regular": (FONTS / "LiberationSerif-Regular.ttf").as_uri(),
            "bold": (FONTS / "LiberationSerif-Bold.ttf").as_uri(),
            "italic": (FONTS / "LiberationSerif-Italic.ttf").as_uri(),
            "bolditalic": (FONTS / "LiberationSerif-BoldItalic.ttf").as_uri(),
        }
        _style.update(fonts=fonts, css=WeasyCSS(string=CSS % urls, font_config=fonts))
        atexit.register(_style.clear)  # before interpreter teardown (WeasyPrint's __del__)
    return HTML(string=f"<html lang='vi'><body>{body}</body></html>").write_pdf(
        stylesheets=[_style["css"]], font_config=_style["fonts"]
    )


@dataclass(frozen=True)
class Job:
    """One document to make: its HTML and, for a signed one, who signs, when and where."""

    html: str
    signing: SigningKey | None = None
    when: dt.datetime | None = None
    location: str = ""


def run_job(job: Job) -> bytes:
    data = render_html(job.html)
    if job.signing is not None and job.when is not None:
        data = sign_pdf(data, job.signing, job.when, job.location)
    return data


class Renderer:
    """Runs jobs in this process, or in a small pool of fresh processes (spawned: nothing of
    Django's state is inherited), one per CPU up to 4, kept until ``close``."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = min(4, os.cpu_count() or 1) if workers is None else workers
        self.pool: ProcessPoolExecutor | None = None

    def run(self, jobs: list[Job]) -> list[bytes]:
        """The PDFs of ``jobs``, in order."""
        if self.workers < 2 or len(jobs) < 16:
            return [run_job(job) for job in jobs]
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return list(self.pool.map(run_job, jobs, chunksize=4))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def document_html(
    doc: Doc,
    issuer: Issuer,
    *,
    subject: str,
    day: dt.date,
    number: int,
    facts: dict[str, str],
    year: int,
    stamp: str,
    seed: int,
) -> str:
    """The document's HTML (body only); ``seed`` picks its varying sentences."""
    rng = random.Random(seed)
    e = html.escape
    title, code = KINDS[doc.kind]
    fill = {**facts, "year": str(year), "unit": issuer.in_text}
    lines = [line.format(**fill) for line in doc.lines]
    out = [
        "<table class='head'><tr>",
        f"<td class='left'>{e(issuer.top)}<br><b><span class='u'>{e(issuer.name)}</span></b>"
        "</td><td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>"
        "<b><span class='u'>Độc lập - Tự do - Hạnh phúc</span></b></td></tr></table>",
    ]
    date_text = f"{e(issuer.place)}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    if doc.kind == "CV":
        number_text = f"Số: {number}/{e(issuer.abbr)}-VP<br><span class='vv'>{e(subject)}</span>"
    else:
        number_text = f"Số: {number}/{code}-{e(issuer.abbr)}"
    out.append(
        f"<table class='num'><tr><td class='left' style='width:42%'>{number_text}</td>"
        f"<td><i>{date_text}</i></td></tr></table>"
    )
    lower = subject[0].lower() + subject[1:]
    plan = f"Kế hoạch của {issuer.plan_owner} về cải cách hành chính năm {year}"
    body: list[str] = []

    def p(text: str, cls: str = "") -> None:
        body.append(f"<p class='{cls}'>{e(text)}</p>" if cls else f"<p>{e(text)}</p>")

    if doc.kind != "CV":
        out.append(f"<h1>{title}</h1><div class='subject'>{e(subject)}</div>")
    if doc.kind == "QD":
        p(issuer.legal)
        p(
            "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành "
            "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;"
        )
        p(f"Căn cứ {plan};")
        p(f"Theo đề nghị của {issuer.proposer}.")
        p("QUYẾT ĐỊNH:", "mid")
        for line in lines:
            head, _, rest = line.partition(". ")
            body.append(f"<p><b>{e(head)}.</b> {e(rest)}</p>")
        body.append("<p><b>Điều 2.</b> Quyết định này có hiệu lực kể từ ngày ký.</p>")
        body.append(
            f"<p><b>Điều 3.</b> {e(issuer.executors)} chịu trách nhiệm thi hành "
            "Quyết định này./.</p>"
        )
    elif doc.kind == "KH":
        p(f"Thực hiện {plan}, {issuer.in_text} ban hành Kế hoạch {lower} như sau:")
        p("I. MỤC ĐÍCH, YÊU CẦU", "sec")
        p(lines[0])
        p("II. NỘI DUNG, NHIỆM VỤ", "sec")
        for line in lines[1:]:
            p(line)
        p("III. TỔ CHỨC THỰC HIỆN", "sec")
        p(
            "Các phòng, đơn vị căn cứ Kế hoạch này chủ động triển khai thực hiện; định kỳ "
            "hằng quý báo cáo kết quả để tổng hợp, báo cáo theo quy định./."
        )
    elif doc.kind == "BC":
        p(f"Thực hiện {plan}, {issuer.in_text} báo cáo {lower} như sau:")
        p("I. KẾT QUẢ THỰC HIỆN", "sec")
        for line in lines:
            p(line)
        p("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "sec")
        p(rng.choice(WEAKNESSES))
        p("III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", "sec")
        p(
            "Tiếp tục thực hiện nghiêm các nhiệm vụ cải cách hành chính theo kế hoạch; khắc "
            "phục các tồn tại, hạn chế đã chỉ ra; nâng cao chất lượng phục vụ người dân, "
            "doanh nghiệp."
        )
        p(f"Trên đây là báo cáo {lower} của {issuer.in_text}./.")
    elif doc.kind == "TB":
        for line in lines:
            p(line)
        p(f"{issuer.in_text} thông báo để các cơ quan, đơn vị, cá nhân biết, thực hiện./.")
    elif doc.kind == "BB":
        p(
            f"Hôm nay, vào hồi 08 giờ 00 phút ngày {day:%d/%m/%Y}, tại trụ sở "
            f"{issuer.in_text}, tiến hành lập biên bản {lower}."
        )
        p("I. THÀNH PHẦN", "sec")
        p(f"- Chủ trì: ông (bà) {issuer.signer}, người đứng đầu {issuer.in_text}.")
        p(f"- Thư ký: ông (bà) {issuer.clerk or 'công chức Văn phòng'}.")
        p("II. NỘI DUNG", "sec")
        for line in lines:
            p(line)
        p(
            "Biên bản kết thúc vào hồi 11 giờ 00 phút cùng ngày, đã được thông qua cho những "
            "người tham dự cùng nghe và thống nhất./."
        )
    else:  # CV
        body.append(f"<p class='mid' style='font-weight:normal'>{e(lines[0])}</p>")
        for line in lines[1:]:
            p(line)
        p("Trân trọng./.")
    out.extend(body)
    stamp_html = f"<div class='stamp'>{stamp}</div>" if stamp else ""
    if doc.kind == "BB":
        out.append(
            "<table class='sign'><tr><td class='by'><b>THƯ KÝ</b>"
            f"<div class='name'>{e(issuer.clerk)}</div></td>"
            f"<td class='by'><b>CHỦ TRÌ</b>{stamp_html}"
            f"<div class='name'>{e(issuer.signer)}</div></td></tr></table>"
        )
    else:
        titles = issuer.decision_title if doc.kind == "QD" else issuer.sign_title
        if doc.kind == "QD":
            to = ["Như Điều 3;", *issuer.recipients]
        elif doc.kind == "BC":
            others = [r for r in issuer.recipients if not r.startswith(issuer.superior)]
            to = [f"{issuer.superior} (b/c);", *others]
        else:
            to = list(issuer.recipients)
        to = [f"- {r}" for r in (*to, issuer.archive)]
        out.append(
            "<table class='sign'><tr><td class='to'><b><i>Nơi nhận:</i></b><br>"
            + "<br>".join(e(t) for t in to)
            + "</td><td class='by'>"
            + "<br>".join(f"<b>{e(t)}</b>" for t in titles)
            + stamp_html
            + f"<div class='name'>{e(issuer.signer)}</div></td></tr></table>"
        )
    if doc.pages > 1:
        out.append(annex(rng, doc, year))
    return "".join(out)


def annex(rng: random.Random, doc: Doc, year: int) -> str:
    e = html.escape
    result = doc.kind == "BC"
    head = "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ" if result else "CÁC NHIỆM VỤ CỤ THỂ"
    rows = []
    for i, (task, owner, when) in enumerate(TASKS, start=1):
        last = (
            f"<td>{'Hoàn thành' if rng.random() < 0.85 else 'Đang thực hiện'}</td>"
            if result
            else ""
        )
        rows.append(
            f"<tr><td>{i}</td><td>{e(task)}</td><td>{e(owner)}</td><td>{e(when)}</td>{last}</tr>"
        )
    extra = "<th>Kết quả</th>" if result else ""
    return (
        f"<div class='annex'><p class='mid'>PHỤ LỤC<br>{head} NĂM {year}</p>"
        "<table><tr><th>TT</th><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Thời gian</th>"
        f"{extra}</tr>{''.join(rows)}</table></div>"
    )
