"""The demo's evidence documents (tài liệu kiểm chứng): plain data, no Django.

``DOCS`` describes one administrative document per key (kind, subject, file name, the day of
the year it is usually issued, the lines of its body). ``LEAF_DOCS`` says which documents a
unit attaches to a leaf of each framework (by the framework file and leaf code).
``EXTRA_EVIDENCE`` names the evidence of leaves whose framework file says nothing (the khối sở
file is the public example of the spec, kept as it is; the demo adds what a real plan lists).

Placeholders in texts: {year}, {unit} (the unit's name in a sentence), {period} (the periodic
report's span, e.g. "quý III"), {num}/{den}/{pct} (the leaf's declared ratio), {superior}
(who the unit reports to), {office} (the unit's office that drafts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds: title on the page, number code (Số: 12/QĐ-STP).
KINDS = {
    "QD": ("QUYẾT ĐỊNH", "QĐ"),
    "KH": ("KẾ HOẠCH", "KH"),
    "BC": ("BÁO CÁO", "BC"),
    "TB": ("THÔNG BÁO", "TB"),
    "BB": ("BIÊN BẢN", "BB"),
    "CV": ("", ""),  # công văn: no title, "V/v …" under the number
}


@dataclass(frozen=True)
class Doc:
    kind: str
    subject: str
    filename: str
    month: int
    day: int
    lines: list[str] = field(default_factory=list)
    issuer: str = "self"  # "self", "parent" (the district of a commune), "province"
    pages: int = 1


DOCS: dict[str, Doc] = {
    "qd_kh_cchc": Doc(
        "QD",
        "Về việc ban hành Kế hoạch cải cách hành chính năm {year}",
        "QD-ban-hanh-KH-CCHC-{year}.pdf",
        1,
        8,
        [
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm {year} "
            "của {unit}.",
        ],
    ),
    "kh_cchc": Doc(
        "KH",
        "Cải cách hành chính năm {year}",
        "KH CCHC nam {year}.pdf",
        1,
        8,
        [
            "Triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính theo Chương trình "
            "tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030; nâng cao chỉ số cải "
            "cách hành chính (PAR INDEX) và chỉ số hài lòng của người dân, tổ chức (SIPAS).",
            "- Cải cách thể chế: rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh "
            "vực quản lý; thời hạn: quý II năm {year}.",
            "- Cải cách thủ tục hành chính: 100% thủ tục hành chính được công khai đầy đủ; "
            "tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
            "- Chuyển đổi số: 100% văn bản đi được ký số, gửi nhận trên môi trường điện tử "
            "(trừ văn bản mật).",
            "- Cải cách chế độ công vụ: đánh giá, xếp loại công chức, viên chức đúng quy định; "
            "tăng cường kỷ luật, kỷ cương hành chính.",
        ],
        pages=2,
    ),
    "bc_cchc_q": Doc(
        "BC",
        "Kết quả thực hiện công tác cải cách hành chính {period} năm {year}",
        "Báo cáo CCHC {period}.pdf",
        10,
        5,
        [
            "- Công tác chỉ đạo, điều hành: ban hành đầy đủ kế hoạch, văn bản triển khai; "
            "tổ chức kiểm tra công tác cải cách hành chính theo kế hoạch.",
            "- Cải cách thủ tục hành chính: tiếp nhận và giải quyết hồ sơ đúng quy trình; "
            "không có phản ánh, kiến nghị về quy định hành chính.",
            "- Chuyển đổi số: 100% văn bản đi (trừ văn bản mật) được ký số và gửi trên Hệ "
            "thống quản lý văn bản và điều hành.",
        ],
    ),
    "bc_cchc_nam": Doc(
        "BC",
        "Kết quả thực hiện Kế hoạch cải cách hành chính năm {year}",
        "BC ket qua thuc hien KH CCHC {year} (kem phu luc).pdf",
        10,
        10,
        [
            "- Tổng số nhiệm vụ trong Kế hoạch: {den}; đã hoàn thành: {num} ({pct}%); các "
            "nhiệm vụ còn lại đang triển khai, dự kiến hoàn thành trước ngày 31/12/{year}.",
            "- Chi tiết kết quả thực hiện từng nhiệm vụ tại Phụ lục kèm theo Báo cáo này.",
        ],
        pages=2,
    ),
    "bc_kiemtra": Doc(
        "BC",
        "Kết quả kiểm tra công tác cải cách hành chính năm {year}",
        "BC ket qua kiem tra CCHC.pdf",
        9,
        25,
        [
            "- Thực hiện Kế hoạch kiểm tra công tác cải cách hành chính năm {year}, đã kiểm tra "
            "{num}/{den} đơn vị theo Kế hoạch; phát hiện một số tồn tại về cập "
            "nhật hồ sơ công việc và niêm yết thủ tục hành chính.",
            "- Các tồn tại đã được chỉ đạo khắc phục; các đơn vị đã báo cáo kết quả khắc phục "
            "bằng văn bản.",
        ],
    ),
    "qd_sangkien": Doc(
        "QD",
        "Về việc công nhận sáng kiến, giải pháp cải cách hành chính năm {year}",
        "QD cong nhan sang kien CCHC.pdf",
        8,
        15,
        [
            "Điều 1. Công nhận các sáng kiến, giải pháp cải cách hành chính năm {year} (có danh "
            "sách kèm theo) đã được áp dụng có hiệu quả tại {unit}.",
        ],
    ),
    "qd_sk_tinh": Doc(
        "QD",
        "Về việc công nhận mô hình, sáng kiến cải cách hành chính cấp tỉnh năm {year}",
        "QD UBND tinh cong nhan sang kien.pdf",
        9,
        12,
        [
            "Điều 1. Công nhận các mô hình, sáng kiến cải cách hành chính cấp tỉnh năm {year} "
            "(có danh sách kèm theo), trong đó có mô hình của {unit}.",
        ],
        issuer="province",
    ),
    "bc_vbqppl": Doc(
        "BC",
        "Kết quả công tác xây dựng, kiểm tra, rà soát văn bản quy phạm pháp luật và theo dõi "
        "thi hành pháp luật năm {year}",
        "BC cong tac VBQPPL va THPL {year}.pdf",
        9,
        30,
        [
            "- Số văn bản trong Chương trình xây dựng văn bản quy phạm pháp luật: {den}; đã "
            "ban hành: {num}. Danh mục văn bản (số, ngày, trích yếu) tại Phụ lục kèm theo.",
            "- Đã rà soát, hệ thống hóa toàn bộ văn bản thuộc lĩnh vực quản lý; văn bản phát "
            "hiện qua tự kiểm tra đều được xử lý theo quy định.",
            "- Ban hành và thực hiện Kế hoạch theo dõi tình hình thi hành pháp luật năm {year}.",
        ],
    ),
    "cv_congbo_tthc": Doc(
        "CV",
        "V/v đề nghị công bố danh mục thủ tục hành chính",
        "CV de nghi cong bo TTHC.pdf",
        5,
        12,
        [
            "Kính gửi: Chủ tịch UBND tỉnh Bắc Giang.",
            "Thực hiện quy định về kiểm soát thủ tục hành chính, {unit} đề nghị Chủ tịch UBND "
            "tỉnh công bố danh mục thủ tục hành chính mới ban hành, sửa đổi, bổ sung thuộc "
            "phạm vi chức năng quản lý (có dự thảo Quyết định kèm theo).",
            "Số thủ tục đề nghị công bố đúng thời hạn: {num}/{den}.",
        ],
    ),
    "bc_tthc": Doc(
        "BC",
        "Tình hình, kết quả giải quyết thủ tục hành chính năm {year}",
        "Bao cao trich xuat he thong TTHC {year}.pdf",
        10,
        6,
        [
            "- Số liệu trích xuất từ Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Bắc "
            "Giang tính đến ngày báo cáo: tổng số hồ sơ đã giải quyết {den}, trong đó đúng "
            "hạn {num} ({pct}%).",
            "- Hồ sơ trễ hạn đều có văn bản xin lỗi người dân, tổ chức theo quy định.",
        ],
    ),
    "bb_niemyet": Doc(
        "BB",
        "Kiểm tra việc niêm yết, công khai thủ tục hành chính tại Bộ phận Một cửa",
        "anh chup khu vuc niem yet TTHC.pdf",
        4,
        16,
        [
            "- Bộ phận Một cửa niêm yết đầy đủ danh mục và nội dung thủ tục hành chính; có mã "
            "QR tra cứu thủ tục; số điện thoại đường dây nóng được công khai.",
            "- Kèm theo ảnh chụp khu vực niêm yết (04 ảnh).",
        ],
    ),
    "qd_chucnang": Doc(
        "QD",
        "Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của các phòng chuyên môn",
        "QD chuc nang nhiem vu cac phong.pdf",
        3,
        1,
        [
            "Điều 1. Quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của các phòng "
            "chuyên môn thuộc {unit} (có Quy định kèm theo).",
        ],
    ),
    "qd_qcctnb": Doc(
        "QD",
        "Về việc ban hành Quy chế chi tiêu nội bộ năm {year}",
        "QD ban hanh quy che chi tieu noi bo {year}.pdf",
        1,
        15,
        ["Điều 1. Ban hành kèm theo Quyết định này Quy chế chi tiêu nội bộ năm {year} của {unit}."],
    ),
    "bc_cds": Doc(
        "BC",
        "Kết quả chuyển đổi số, xây dựng chính quyền số năm {year}",
        "BC chuyen doi so {year}.pdf",
        10,
        1,
        [
            "- Văn bản đi phát hành trên Hệ thống quản lý văn bản và điều hành: {den}; được "
            "ký số: {num} ({pct}%).",
            "- Dịch vụ công trực tuyến toàn trình có phát sinh hồ sơ được cập nhật trên Cổng "
            "Dịch vụ công của tỉnh.",
            "- Các cơ sở dữ liệu chuyên ngành đã kết nối, chia sẻ qua Nền tảng tích hợp, chia "
            "sẻ dữ liệu của tỉnh (LGSP).",
        ],
    ),
    "bc_ccvc": Doc(
        "BC",
        "Kết quả thực hiện cải cách chế độ công vụ năm {year}",
        "BC cai cach che do cong vu {year}.pdf",
        10,
        15,
        [
            "- Số công chức, viên chức được bố trí đúng vị trí việc làm được phê duyệt: "
            "{num}/{den}.",
            "- Tuyển dụng, bổ nhiệm, đánh giá, xếp loại chất lượng công chức, viên chức thực "
            "hiện đúng quy định; danh sách kèm theo các quyết định liên quan.",
            "- Công tác đào tạo, bồi dưỡng thực hiện theo kế hoạch năm.",
        ],
    ),
    "bc_taichinh": Doc(
        "BC",
        "Kết quả thực hiện cải cách tài chính công năm {year}",
        "BC tai chinh cong (so lieu KBNN) {year}.pdf",
        10,
        8,
        [
            "- Kế hoạch vốn đầu tư công được giao (triệu đồng): {den}; đã giải ngân theo số "
            "liệu xác nhận của Kho bạc Nhà nước: {num}, đạt {pct}%.",
            "- Các đơn vị sự nghiệp công lập trực thuộc thực hiện cơ chế tự chủ tài chính "
            "theo quyết định giao; thực hành tiết kiệm 10% chi thường xuyên.",
        ],
    ),
    "qd_iso": Doc(
        "QD",
        "Về việc công bố Hệ thống quản lý chất lượng phù hợp Tiêu chuẩn quốc gia TCVN ISO "
        "9001:2015",
        "QD cong bo ISO 9001-2015.pdf",
        4,
        2,
        [
            "Điều 1. Công bố Hệ thống quản lý chất lượng của {unit} phù hợp Tiêu chuẩn quốc gia "
            "TCVN ISO 9001:2015 đối với các hoạt động có liên quan (có danh mục kèm theo).",
        ],
    ),
    "bb_doithoai": Doc(
        "BB",
        "Hội nghị đối thoại với người dân, doanh nghiệp về cải cách hành chính",
        "Bien ban hoi nghi doi thoai.pdf",
        6,
        26,
        [
            "- Có 12 ý kiến của người dân, doanh nghiệp, tập trung vào thủ tục đất đai, xây "
            "dựng; các ý kiến đều được người chủ trì trả lời trực tiếp tại Hội nghị.",
        ],
    ),
    "qd_thidua": Doc(
        "QD",
        "Về việc ban hành Quy chế thi đua, khen thưởng",
        "QD quy che thi dua khen thuong.pdf",
        2,
        1,
        [
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế thi đua, khen thưởng, trong đó "
            "kết quả cải cách hành chính là tiêu chí đánh giá, xếp loại người đứng đầu.",
        ],
    ),
    "qd_huonguoc": Doc(
        "QD",
        "Về việc công nhận hương ước, quy ước của thôn, tổ dân phố",
        "QD cong nhan huong uoc quy uoc.pdf",
        5,
        18,
        [
            "Điều 1. Công nhận hương ước, quy ước của {num}/{den} thôn, tổ dân phố trên địa bàn "
            "(có danh sách kèm theo).",
        ],
    ),
    "lich_phat_thanh": Doc(
        "TB",
        "Lịch phát thanh tuyên truyền cải cách hành chính trên Đài truyền thanh xã",
        "Lich phat thanh CCHC.pdf",
        3,
        1,
        [
            "Phát thanh chuyên mục cải cách hành chính vào 17 giờ 00 thứ Ba và thứ Sáu hằng "
            "tuần trên Đài truyền thanh xã và các cụm loa thôn.",
        ],
    ),
    "qd_tcpl": Doc(
        "QD",
        "Về việc công nhận xã, thị trấn đạt chuẩn tiếp cận pháp luật",
        "QD cong nhan dat chuan tiep can PL.pdf",
        1,
        25,
        [
            "Điều 1. Công nhận các xã, thị trấn đạt chuẩn tiếp cận pháp luật (có danh sách kèm "
            "theo), trong đó có {unit}.",
        ],
        issuer="parent",
    ),
    "qd_quyche": Doc(
        "QD",
        "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân nhiệm kỳ 2021 - 2026",
        "QD quy che lam viec UBND.pdf",
        1,
        12,
        ["Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của {unit}."],
    ),
    "tb_congkhai_ns": Doc(
        "TB",
        "Công khai dự toán ngân sách xã năm {year}",
        "TB cong khai du toan ngan sach.pdf",
        1,
        18,
        [
            "{unit} công khai dự toán thu, chi ngân sách xã năm {year} đã được Hội đồng nhân "
            "dân xã quyết định (có biểu mẫu kèm theo); niêm yết tại trụ sở UBND xã 30 ngày.",
        ],
    ),
}

# Leaves of each framework file and the documents a unit attaches to them. Like real units,
# one consolidated report proves several criteria (the service links the copies).
LEAF_DOCS: dict[str, dict[str, list[str]]] = {
    "so.yaml": {
        "1.1.1": ["qd_kh_cchc", "kh_cchc"],
        "1.1.2": ["bc_cchc_nam"],
        "1.2": ["bc_cchc_q"],
        "1.3.1": ["bc_kiemtra"],
        "1.3.2": ["bc_kiemtra"],
        "1.4": ["kh_cchc"],
        "1.5": ["qd_sangkien"],
        "1.6": ["bc_cchc_nam"],
        "2.1": ["bc_vbqppl"],
        "2.2": ["bc_vbqppl"],
        "2.3": ["bc_vbqppl"],
        "2.4": ["bc_vbqppl"],
        "2.5": ["bc_cchc_nam"],
        "3.1.1": ["cv_congbo_tthc"],
        "3.2": ["bc_tthc"],
        "3.3": ["bc_tthc"],
        "3.4": ["bc_tthc"],
        "3.5": ["bc_tthc"],
        "3.6": ["bc_tthc"],
        "4.1": ["qd_chucnang"],
        "4.3": ["qd_chucnang"],
        "4.4": ["qd_chucnang"],
        "5.1": ["bc_ccvc"],
        "5.2": ["bc_ccvc"],
        "5.3": ["bc_ccvc"],
        "5.4": ["bc_ccvc"],
        "6.1": ["qd_qcctnb"],
        "6.2": ["bc_taichinh"],
        "6.3": ["bc_taichinh"],
        "6.4": ["bc_taichinh"],
        "7.1": ["bc_cds"],
        "7.3": ["bc_cds"],
        "7.4": ["bc_cds"],
        "7.6": ["qd_iso"],
        "9.1": ["qd_sk_tinh"],
        "9.2": ["bc_cchc_nam"],
    },
    "huyen.yaml": {
        "1.1.1": ["qd_kh_cchc", "kh_cchc"],
        "1.1.2": ["bc_cchc_nam"],
        "1.2": ["bc_cchc_q"],
        "1.3.1": ["bc_kiemtra"],
        "1.3.2": ["bc_kiemtra"],
        "1.4": ["kh_cchc"],
        "1.5": ["qd_sangkien"],
        "1.6": ["bc_cchc_nam"],
        "1.7": ["bb_doithoai"],
        "1.8": ["qd_thidua"],
        "2.1": ["bc_vbqppl"],
        "2.2": ["bc_vbqppl"],
        "2.3": ["bc_vbqppl"],
        "2.4": ["bc_vbqppl"],
        "2.5": ["bc_kiemtra"],
        "2.6": ["qd_huonguoc"],
        "3.1.1": ["bb_niemyet"],
        "3.2": ["bc_tthc"],
        "3.3": ["bc_tthc"],
        "4.1": ["qd_chucnang"],
        "4.4": ["bc_ccvc"],
        "5.2": ["bc_ccvc"],
        "6.2": ["bc_taichinh"],
        "9.1": ["qd_sk_tinh"],
    },
    "xa.yaml": {
        "1.1": ["kh_cchc"],
        "1.2": ["bc_cchc_nam"],
        "1.3": ["bc_cchc_q"],
        "1.4": ["lich_phat_thanh"],
        "1.6": ["bb_doithoai"],
        "2.5": ["qd_tcpl"],
        "3.1": ["bb_niemyet"],
        "3.2": ["bc_tthc"],
        "4.1": ["qd_quyche"],
        "6.1": ["tb_congkhai_ns"],
    },
}

# What the framework names as evidence, where the framework file is silent (see the notes).
EXTRA_EVIDENCE: dict[str, dict[str, str]] = {
    "so.yaml": {
        "1.1.2": "Báo cáo kết quả thực hiện Kế hoạch CCHC năm, phụ lục kết quả từng nhiệm vụ.",
        "1.3.1": "Kế hoạch kiểm tra, báo cáo kết quả kiểm tra CCHC.",
        "1.3.2": "Báo cáo kết quả kiểm tra; văn bản chỉ đạo khắc phục tồn tại.",
        "1.4": "Kế hoạch CCHC năm (nội dung tuyên truyền); tin, bài trên Cổng thông tin điện tử.",
        "1.5": "Quyết định công nhận sáng kiến, giải pháp.",
        "1.6": "Trích xuất Hệ thống theo dõi nhiệm vụ UBND tỉnh giao.",
        "2.1": "Danh mục VBQPPL trong chương trình và văn bản đã tham mưu ban hành.",
        "2.2": "Báo cáo kết quả rà soát, hệ thống hóa VBQPPL.",
        "2.3": "Báo cáo tự kiểm tra, xử lý văn bản.",
        "2.4": "Kế hoạch theo dõi tình hình thi hành pháp luật.",
        "2.5": "Báo cáo kết quả triển khai văn bản của Trung ương, của tỉnh.",
        "3.1.1": "Văn bản đề nghị công bố danh mục TTHC.",
        "3.2": "Báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh.",
        "3.3": "Báo cáo trích xuất hệ thống; văn bản xin lỗi đối với hồ sơ trễ hạn.",
        "3.4": "Báo cáo kết quả xử lý phản ánh, kiến nghị.",
        "3.5": "Báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh.",
        "3.6": "Báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh.",
        "4.1": "Quyết định quy định chức năng, nhiệm vụ, cơ cấu tổ chức.",
        "4.3": "Quyết định sắp xếp, kiện toàn đơn vị trực thuộc.",
        "4.4": "Quyết định phân cấp, ủy quyền.",
        "5.1": "Báo cáo bố trí công chức, viên chức theo vị trí việc làm.",
        "5.2": "Kế hoạch, thông báo kết quả tuyển dụng.",
        "5.3": "Báo cáo kết quả đào tạo, bồi dưỡng.",
        "5.4": "Quyết định đánh giá, xếp loại chất lượng CBCCVC.",
        "6.1": "Quyết định ban hành quy chế chi tiêu nội bộ.",
        "6.2": "Báo cáo giải ngân có xác nhận của Kho bạc Nhà nước.",
        "6.3": "Quyết định giao quyền tự chủ cho đơn vị sự nghiệp.",
        "6.4": "Báo cáo thực hành tiết kiệm, chống lãng phí.",
        "7.1": "Báo cáo trích xuất từ hệ thống quản lý văn bản.",
        "7.3": "Báo cáo chuyển đổi số; trích xuất Cổng Dịch vụ công của tỉnh.",
        "7.4": "Báo cáo chuyển đổi số; văn bản kết nối, chia sẻ dữ liệu.",
        "7.6": "Quyết định công bố hệ thống quản lý chất lượng TCVN ISO 9001:2015.",
        "9.1": "Quyết định công nhận sáng kiến của UBND tỉnh.",
        "9.2": "Văn bản giao nhiệm vụ và báo cáo kết quả thực hiện.",
    },
    "xa.yaml": {
        "1.3": "Các báo cáo CCHC quý, 6 tháng, năm của UBND xã.",
        "4.1": "Quyết định ban hành quy chế làm việc của UBND xã.",
        "6.1": "Thông báo công khai dự toán, quyết toán ngân sách xã.",
    },
}

# Explanations of units that name the evidence instead of attaching it.
NO_FILE_EXPLANATIONS = [
    "Văn bản đã gửi {organizer} qua Hệ thống quản lý văn bản và điều hành (số {number}).",
    "Tài liệu kiểm chứng là số liệu trên hệ thống dùng chung của tỉnh; đề nghị Hội đồng thẩm "
    "định tra cứu trực tiếp.",
    "Văn bản có độ mật, không đính kèm; đơn vị xuất trình bản giấy khi Hội đồng thẩm định yêu cầu.",
]
