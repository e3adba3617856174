"""The demo province: units, people and texts. Plain data, no Django.

The province follows Bắc Giang (the seed process QT.CCHC.01): the Sở Nội vụ organizes the index
of the departments (khối sở) and districts (khối huyện); three districts' Phòng Nội vụ organize
the index of their communes (khối xã). Names of units are real; people are invented.
"""

from __future__ import annotations

PROVINCE = ("BG", "Tỉnh Bắc Giang", "Bắc Giang")
ORGANIZER = "SNV"

BLOCKS = [
    ("so", "Khối sở, ban, ngành", 1),
    ("huyen", "Khối huyện, thị xã, thành phố", 2),
    ("xa", "Khối xã, phường, thị trấn", 3),
]

# (code, name, short name) — the Sở Nội vụ first: it organizes and is assessed too.
DEPARTMENTS = [
    ("SNV", "Sở Nội vụ", "SNV"),
    ("STP", "Sở Tư pháp", "STP"),
    ("STC", "Sở Tài chính", "STC"),
    ("SYT", "Sở Y tế", "SYT"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("SXD", "Sở Xây dựng", "SXD"),
    ("SCT", "Sở Công Thương", "SCT"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", "SNN&MT"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "SKH&CN"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "SVHTT&DL"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "SDT&TG"),
    ("SNGV", "Sở Ngoại vụ", "SNgV"),
    ("VPUBND", "Văn phòng UBND tỉnh", "VP UBND"),
    ("TTR", "Thanh tra tỉnh", "TTr"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "BQL KCN"),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH"),
    ("TCT", "Trường Chính trị tỉnh", "TCT"),
    (
        "BQLDD",
        "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
        "BQLDA DD&CN",
    ),
    (
        "BQLGT",
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông, nông nghiệp tỉnh",
        "BQLDA GT&NN",
    ),
    ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "Quỹ ĐTPT"),
]

# (code, name, "huyện/thị xã/thành phố X" for the Phòng Nội vụ's name)
DISTRICTS = [
    ("TPBG", "UBND thành phố Bắc Giang", "thành phố Bắc Giang"),
    ("VYE", "UBND thị xã Việt Yên", "thị xã Việt Yên"),
    ("CHU", "UBND thị xã Chũ", "thị xã Chũ"),
    ("HHO", "UBND huyện Hiệp Hòa", "huyện Hiệp Hòa"),
    ("LGI", "UBND huyện Lạng Giang", "huyện Lạng Giang"),
    ("LNA", "UBND huyện Lục Nam", "huyện Lục Nam"),
    ("LNG", "UBND huyện Lục Ngạn", "huyện Lục Ngạn"),
    ("SDO", "UBND huyện Sơn Động", "huyện Sơn Động"),
    ("TYE", "UBND huyện Tân Yên", "huyện Tân Yên"),
    ("YTH", "UBND huyện Yên Thế", "huyện Yên Thế"),
    ("YDU", "UBND huyện Yên Dũng", "huyện Yên Dũng"),
]

# Communes of the three districts whose Phòng Nội vụ runs a commune index.
COMMUNES = {
    "YDU": [
        "UBND thị trấn Nham Biền",
        "UBND thị trấn Tân An",
        "UBND xã Tân Liễu",
        "UBND xã Tiến Dũng",
        "UBND xã Cảnh Thụy",
        "UBND xã Tư Mại",
        "UBND xã Đồng Phúc",
        "UBND xã Đồng Việt",
        "UBND xã Đức Giang",
        "UBND xã Lãng Sơn",
        "UBND xã Trí Yên",
        "UBND xã Lão Hộ",
        "UBND xã Hương Gián",
        "UBND xã Quỳnh Sơn",
    ],
    "TYE": [
        "UBND thị trấn Cao Thượng",
        "UBND thị trấn Nhã Nam",
        "UBND xã Cao Xá",
        "UBND xã Lam Cốt",
        "UBND xã Liên Sơn",
        "UBND xã Ngọc Thiện",
        "UBND xã Phúc Hòa",
        "UBND xã Quang Tiến",
        "UBND xã Song Vân",
        "UBND xã Việt Lập",
    ],
    "LNA": [
        "UBND thị trấn Đồi Ngô",
        "UBND xã Cẩm Lý",
        "UBND xã Bảo Đài",
        "UBND xã Bảo Sơn",
        "UBND xã Cương Sơn",
        "UBND xã Đan Hội",
        "UBND xã Huyền Sơn",
        "UBND xã Lan Mẫu",
        "UBND xã Tiên Nha",
    ],
}

# The one password of every demo account (printed at the end; never use it in production).
DEMO_PASSWORD = "cchc-demo-2026"  # noqa: S105 - the demo password, published in the README
# The one TOTP secret of every demo account that must sign in with a second factor (the organizer
# admins, the system admin): printed at the start and in the README, add it to an authenticator
# app, or print the current code with ``parindex demo --code``. Demo only.
DEMO_TOTP_SECRET = "CCHCDEMOCCHCDEMOCCHCDEMOCCHCDEMO"  # noqa: S105 - published in the README

# The accounts printed at the end: (role label, username, full name, unit code, role).
# Unit codes: YDU-PNV is the Phòng Nội vụ of Yên Dũng; YDU-TANLIEU a commune; BG the province.
PERSONAS = [
    ("Quản trị hệ thống", "hethong", "Quản trị hệ thống", "", "superuser"),
    ("Quản trị (Sở Nội vụ)", "quantri", "Nguyễn Thị Hoa", "SNV", "organizer_admin"),
    (
        "Quản trị (Phòng Nội vụ huyện Yên Dũng)",
        "quantri.ydu",
        "Hoàng Văn Thái",
        "YDU-PNV",
        "organizer_admin",
    ),
    ("Chuyên viên đầu mối (Sở Tư pháp)", "cv.stp", "Trần Văn Minh", "STP", "unit_officer"),
    ("Lãnh đạo đơn vị (Sở Tư pháp)", "ld.stp", "Lê Quang Huy", "STP", "unit_leader"),
    (
        "Chuyên viên đầu mối (UBND xã Tân Liễu)",
        "cv.tanlieu",
        "Ngô Thị Lan",
        "YDU-TANLIEU",
        "unit_officer",
    ),
    ("Thẩm định viên (Sở Tư pháp)", "td.stp", "Đỗ Văn Nam", "STP", "appraiser"),
    ("Chủ tịch Hội đồng thẩm định", "chutich", "Vũ Mạnh Hùng", "BG", "council_chair"),
    (
        "Thẩm định viên huyện Yên Dũng (Phòng Nội vụ)",
        "td.ydu",
        "Lương Văn Tiến",
        "YDU-PNV",
        "appraiser",
    ),
    (
        "Chủ tịch Hội đồng thẩm định huyện Yên Dũng",
        "chutich.ydu",
        "Nguyễn Văn Phúc",
        "YDU-PNV",
        "council_chair",
    ),
    (
        "Điều tra viên (Bưu điện tỉnh, nhập phiếu giấy)",
        "dieutravien",
        "Hà Thị Bưu",
        "SNV",
        "enumerator",
    ),
    (
        "Quản trị (Phòng Nội vụ huyện Tân Yên)",
        "quantri.tye",
        "Thân Thị Thu Hương",
        "TYE-PNV",
        "organizer_admin",
    ),
    (
        "Chuyên viên đầu mối (UBND xã Cao Xá, huyện Tân Yên)",
        "cv.caoxa",
        "Giáp Văn Hiếu",
        "TYE-CAOXA",
        "unit_officer",
    ),
]

# Other members of the appraisal council (Hội đồng thẩm định): username, full name, unit.
APPRAISERS = [
    ("td.snv", "Phạm Thị Thu Hằng", "SNV"),
    ("td.stc", "Nguyễn Đức Thắng", "STC"),
    ("td.skhcn", "Đào Thị Ngọc Ánh", "SKHCN"),
    ("td.vpubnd", "Trịnh Quốc Khánh", "VPUBND"),
]

# The councils of the periods that reach the appraisal. Each: the chair, the members
# (username, unit of the seat, position, title) and the assignment by domain code (the same
# codes in every framework of the demo): appraiser, substitute (from another unit: the one who
# appraises the appraiser's own unit). Positions: parindex.periods.models.CouncilMember; an
# empty title is the account's job title.
# A district's accounts are made by the builder (the names of td.ydu and chutich.ydu are in
# PERSONAS): username, full name, job.
DISTRICT_COUNCIL_PEOPLE = {
    "YDU": [
        ("td.vp.ydu", "Đặng Thị Thanh Nga", "Chánh Văn phòng HĐND và UBND huyện"),
    ],
    "TYE": [
        ("td.tye", "Hà Văn Kiên", "Trưởng Phòng Nội vụ huyện"),
        ("td.vp.tye", "Nông Thị Phương Thủy", "Phó Chánh Văn phòng HĐND và UBND huyện"),
        ("chutich.tye", "Dương Quang Trung", "Phó Chủ tịch UBND huyện"),
    ],
}


def province_council() -> dict:
    return {
        "name": "Hội đồng thẩm định Chỉ số cải cách hành chính tỉnh Bắc Giang",
        "chair": ("chutich", "BG", "Phó Chủ tịch UBND tỉnh"),
        "members": [
            ("td.snv", "SNV", "vice_chair", "Phó Giám đốc Sở Nội vụ"),
            ("td.stp", "STP", "member", "Phó Giám đốc Sở Tư pháp"),
            ("td.stc", "STC", "member", "Phó Giám đốc Sở Tài chính"),
            ("td.skhcn", "SKHCN", "member", "Phó Giám đốc Sở Khoa học và Công nghệ"),
            ("td.vpubnd", "VPUBND", "secretary", "Phó Chánh Văn phòng UBND tỉnh"),
        ],
        "domains": {
            "1": ("td.snv", "td.vpubnd"),
            "2": ("td.stp", "td.snv"),
            "3": ("td.vpubnd", "td.stp"),
            "4": ("td.snv", "td.stc"),
            "5": ("td.snv", "td.stp"),
            "6": ("td.stc", "td.snv"),
            "7": ("td.skhcn", "td.vpubnd"),
            "8": ("td.snv", "td.skhcn"),
            "9": ("td.vpubnd", "td.snv"),
        },
    }


def district_council(code: str, label: str) -> dict:
    """A district's council for its communes: its Phòng Nội vụ and its Văn phòng HĐND và
    UBND appraise; a Phó Chủ tịch UBND huyện chairs."""
    d = code.lower()
    return {
        "name": f"Hội đồng thẩm định Chỉ số cải cách hành chính cấp xã {label}",
        "chair": (f"chutich.{d}", code, "Phó Chủ tịch UBND huyện"),
        "members": [
            (f"td.{d}", f"{code}-PNV", "member", ""),
            (f"td.vp.{d}", code, "member", ""),
        ],
        "domains": {
            "1": (f"td.{d}", f"td.vp.{d}"),
            "2": (f"td.{d}", f"td.vp.{d}"),
            "3": (f"td.vp.{d}", f"td.{d}"),
            "4": (f"td.{d}", f"td.vp.{d}"),
            "5": (f"td.{d}", f"td.vp.{d}"),
            "6": (f"td.vp.{d}", f"td.{d}"),
            "7": (f"td.vp.{d}", f"td.{d}"),
            "8": (f"td.{d}", f"td.vp.{d}"),
            "9": (f"td.{d}", f"td.vp.{d}"),
        },
    }


SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Lý",
    "Thân",
    "Giáp",
    "Hà",
    "Nông",
    "Tạ",
    "Lương",
]
MIDDLE_M = ["Văn", "Đức", "Quang", "Minh", "Hữu", "Công", "Xuân", "Mạnh", "Tiến", "Ngọc"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thúy", "Hồng", "Phương"]
GIVEN_M = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Long",
    "Thành",
    "Hải",
    "Sơn",
    "Nam",
    "Trung",
    "Hiếu",
    "Khải",
    "Cường",
    "Phong",
    "Toàn",
    "Bình",
    "Quân",
    "Việt",
    "Kiên",
]
GIVEN_F = [
    "Hương",
    "Lan",
    "Mai",
    "Hà",
    "Linh",
    "Trang",
    "Yến",
    "Nga",
    "Thủy",
    "Hạnh",
    "Dung",
    "Loan",
    "Nhung",
    "Huyền",
    "Oanh",
    "Vân",
]

OFFICER_TITLES = ["Chuyên viên", "Chuyên viên chính", "Phó Chánh Văn phòng", "Phó Trưởng phòng"]
LEADER_TITLES = {
    "department": "Giám đốc",
    "district": "Chủ tịch UBND",
    "commune": "Chủ tịch UBND",
}

# Explanations units write when a sub-criterion did not get full points.
EXPLANATIONS = [
    "Một số nhiệm vụ chậm tiến độ do phải chờ hướng dẫn của bộ, ngành Trung ương.",
    "Đơn vị đã thực hiện nhưng văn bản ban hành chậm so với thời hạn yêu cầu.",
    "Hồ sơ trễ hạn tập trung ở lĩnh vực đất đai do phải xác minh nguồn gốc.",
    "Đơn vị đang hoàn thiện hồ sơ, sẽ bổ sung tài liệu kiểm chứng trong thời gian giải trình.",
    "Do thay đổi nhân sự phụ trách nên việc cập nhật chưa kịp thời.",
    "Hạ tầng mạng tại một số đơn vị trực thuộc chưa đồng bộ, đang đề nghị đầu tư bổ sung.",
    "Kinh phí năm được giao muộn nên một số nội dung chưa triển khai được.",
]

ROUND1_NOTES = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả kê khai; xác định lại điểm.",
    "Số liệu kê khai chưa khớp với báo cáo trích xuất từ hệ thống; tính lại theo số liệu hệ thống.",
    "Văn bản kiểm chứng ban hành sau thời hạn quy định.",
    "Chưa có văn bản kiểm chứng cho một số nội dung kê khai.",
]
ROUND2_ACCEPT = "Đơn vị đã giải trình, bổ sung tài liệu kiểm chứng; chấp nhận điểm tự đánh giá."
ROUND2_KEEP = "Giữ kết quả thẩm định lần 1: đơn vị không bổ sung được tài liệu kiểm chứng."

# What the council asks the units to explain or add in round 1 (Yêu cầu giải trình, bổ sung).
ROUND1_REQUESTS = [
    "Bổ sung văn bản kiểm chứng (số, ngày ban hành) cho nội dung kê khai.",
    "Giải trình số liệu kê khai: chưa khớp với báo cáo định kỳ gửi Sở Nội vụ.",
    "Bổ sung báo cáo trích xuất từ hệ thống làm căn cứ cho tỷ lệ kê khai.",
    "Tài liệu kiểm chứng đính kèm là bản dự thảo: bổ sung bản đã ký ban hành.",
]
# The units' answers (Giải trình, bổ sung).
ANSWERS = [
    "Đơn vị bổ sung văn bản kiểm chứng đã ký ban hành; đề nghị Hội đồng xem xét giữ điểm tự "
    "đánh giá.",
    "Số liệu kê khai lấy theo báo cáo năm của đơn vị (đã đính kèm); chênh lệch do báo cáo quý "
    "chưa cập nhật hồ sơ tháng 12.",
    "Đơn vị thống nhất với ý kiến của Hội đồng, rà soát lại và kê khai lại số liệu.",
    "Văn bản ban hành chậm do chờ hướng dẫn của cơ quan cấp trên; đề nghị Hội đồng xem xét.",
]
ROUND2_ADOPT = "Chấp nhận số liệu đơn vị đã rà soát, kê khai lại khi giải trình, bổ sung."
ROUND2_REQUEST_OK = "Đơn vị đã giải trình, bổ sung đầy đủ; đồng ý kết quả tự đánh giá."
ROUND2_REQUEST_NO = (
    "Đơn vị không giải trình, bổ sung được tài liệu kiểm chứng; xác định lại điểm theo số liệu "
    "có căn cứ."
)
ROUND2_REQUEST_SILENT = (
    "Đơn vị không giải trình; đối chiếu tài liệu kiểm chứng đã có, đồng ý kết quả tự đánh giá."
)
CHAIR_RETURN = (
    "Đề nghị Hội đồng xem xét lại tiêu chí {code} của {unit}: đơn vị đã bổ sung văn bản kiểm "
    "chứng khi giải trình."
)
CHAIR_RECHECK = "Thẩm định lại theo ý kiến của Chủ tịch Hội đồng: chấp nhận văn bản đơn vị bổ sung."
