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
]

# Other members of the appraisal council (Hội đồng thẩm định): username, full name, unit.
APPRAISERS = [
    ("td.snv", "Phạm Thị Thu Hằng", "SNV"),
    ("td.stc", "Nguyễn Đức Thắng", "STC"),
    ("td.skhcn", "Đào Thị Ngọc Ánh", "SKHCN"),
    ("td.vpubnd", "Trịnh Quốc Khánh", "VPUBND"),
]

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
