"""Fill locale/en/LC_MESSAGES/django.po from the table below (the public pages' strings).

    .venv/bin/python manage.py makemessages -l en --ignore='.venv/*' --ignore='var/*' \
        --ignore='tests/*' --ignore='bench/*' --ignore='deploy/*' --no-location --no-obsolete
    .venv/bin/python locale/en/translate.py && .venv/bin/python manage.py compilemessages -l en
"""

import re
from pathlib import Path

EN = {
    "Công khai kết quả": "Published results",
    "Nhóm đạt điểm cao nhất": "Best performers",
    "Nhóm đạt điểm trung bình cao": "High average performers",
    "Nhóm đạt điểm trung bình thấp": "Low average performers",
    "Nhóm đạt điểm thấp nhất": "Poor performers",
    "Kết quả Chỉ số cải cách hành chính đã công bố": "Published results of the Public Administration Reform Index",
    "Năm %(year)s": "Year %(year)s",
    "Công bố ngày %(day)s (phiên bản %(version)s)": "Published on %(day)s (version %(version)s)",
    "%(n)s đơn vị": ("%(n)s unit", "%(n)s units"),
    "Kết quả đánh giá cấp xã do cấp huyện công bố": "Commune results published by the districts",
    "Chưa có kết quả nào được công bố.": "No results have been published yet.",
    "Kết quả Chỉ số cải cách hành chính": "Public Administration Reform Index results",
    "Chỉ số cải cách hành chính": "Public Administration Reform Index",
    "Ngôn ngữ": "Language",
    "Số liệu công bố theo quyết định của Ủy ban nhân dân; dữ liệu mở cho phép bất kỳ ai tính lại chỉ số bằng phần mềm mở parindex.": "Figures as published by decision of the People's Committee; the open data lets anyone recompute the index with the open-source parindex software.",
    "Chỉ số CCHC năm %(year)s — %(block)s": "PAR Index %(year)s — %(block)s",
    "Chỉ số cải cách hành chính năm %(year)s": "Public Administration Reform Index %(year)s",
    "Bộ tiêu chí": "Framework",
    "In trang": "Print",
    "Phiên bản %(version)s, công bố ngày %(day)s.": "Version %(version)s, published on %(day)s.",
    "Theo Quyết định số %(number)s ngày %(day)s, người ký: %(signer)s.": "Decision No. %(number)s of %(day)s, signed by %(signer)s.",
    "Xem nội dung thay đổi": "See what changed",
    "Số đơn vị xếp hạng": "Units ranked",
    "Chỉ số bình quân": "Mean index",
    "Thấp nhất": "Lowest",
    "Cao nhất": "Highest",
    "Xếp loại": "Rating",
    "từ %(min)s%%": "from %(min)s%%",
    "Bảng xếp hạng": "Ranking",
    "Hạng": "Rank",
    "Đơn vị": "Unit",
    "Chỉ số": "Index",
    "Điểm đạt được": "Points",
    "tối đa": "max",
    "Chỉ số thành phần theo lĩnh vực (%%)": "Component indices by area (%%)",
    "Nhóm": "Group",
    "thưởng": "bonus",
    "Chỉ số = điểm đạt được ÷ tổng điểm tối đa của các tiêu chí áp dụng × 100, hiển thị làm tròn 2 chữ số thập phân. Xếp hạng theo chỉ số chính xác (trước khi làm tròn): hai đơn vị cùng hiển thị một chỉ số có thể khác hạng; đơn vị có chỉ số chính xác bằng nhau cùng hạng.": "Index = points ÷ maximum of the applicable criteria × 100, shown rounded to 2 decimals. Ranks follow the exact index (before rounding): two units showing the same index may rank differently; units with exactly equal indices share a rank.",
    "Các lĩnh vực": "Areas",
    "tối đa %(max)s điểm": "max %(max)s points",
    "điểm thưởng": "bonus points",
    "Bốn nhóm đơn vị": "Four groups of units",
    "Như PAPI chia các tỉnh, các đơn vị được chia thành bốn nhóm có số đơn vị gần bằng nhau theo thứ hạng (các đơn vị cùng hạng ở cùng nhóm).": "As PAPI groups the provinces, the units are split into four groups of about equal size by rank (units sharing a rank share a group).",
    "Chỉ số từ %(low)s đến %(high)s": "Index from %(low)s to %(high)s",
    "Quyết định công bố": "Publication decision",
    "Số quyết định": "Decision number",
    "Ngày ký": "Signed on",
    "Người ký": "Signed by",
    "Ngày phê duyệt kết quả": "Results approved on",
    "so sánh với đơn vị xếp sau": "compared with the next unit",
    "Đơn vị xếp sau": "Next unit",
    "Tải quyết định đã ký (PDF)": "Download the signed decision (PDF)",
    "Dữ liệu mở": "Open data",
    "Bộ tiêu chí, số liệu cuối cùng của các đơn vị và kết quả: bất kỳ ai cũng tính lại được chỉ số bằng lệnh": "The framework, the units' final values and the results: anyone can recompute the index with",
    "(cho đúng results.json).": "(which gives results.json exactly).",
    "Tải toàn bộ (zip)": "Download all (zip)",
    "Tệp": "File",
    "Dung lượng": "Size",
    "Lịch sử phiên bản": "Version history",
    "Phiên bản": "Version",
    "Ngày công bố": "Published on",
    "Nội dung thay đổi": "What changed",
    "hiện hành": "current",
    "Công bố lần đầu": "First publication",
    "Chỉ số CCHC năm %(year)s": "PAR Index %(year)s",
    "Xếp hạng": "Rank",
    "Điểm đạt được / tối đa": "Points / max",
    "Đơn vị dẫn đầu khối": "Best unit of the block",
    "Biểu đồ chỉ số thành phần theo lĩnh vực": "Chart of the component indices by area",
    "So sánh theo lĩnh vực": "By area",
    "Lĩnh vực": "Area",
    "Điểm": "Points",
    "Đơn vị dẫn đầu": "Best unit",
    "Các năm trước": "Previous years",
    "Năm": "Year",
    "Các tiêu chí mất nhiều điểm nhất": "Criteria where the most points were lost",
    "Tiêu chí": "Criterion",
    "Điểm bị mất": "Points lost",
    "Đơn vị đạt điểm tối đa ở mọi tiêu chí.": "The unit scored the maximum on every criterion.",
    "Về bảng xếp hạng của khối": "Back to the block's ranking",
}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    po = Path(__file__).parent / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    entry = re.compile(
        r'msgid ((?:".*"\n)+)(msgid_plural ((?:".*"\n)+))?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
    )

    def join(block: str) -> str:
        return "".join(
            bytes(line[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
            for line in block.strip().split("\n")
        )

    missing = []

    def fill(m: re.Match[str]) -> str:
        msgid = join(m.group(1))
        if not msgid:
            return m.group(0).replace(
                '"Content-Type: text/plain; charset=CHARSET\\n"',
                '"Content-Type: text/plain; charset=UTF-8\\n"',
            )
        en = EN.get(msgid)
        if en is None:
            missing.append(msgid)
            return m.group(0)
        head = f"msgid {m.group(1)}"
        if m.group(2):
            one, many = en if isinstance(en, tuple) else (en, en)
            return f"{head}msgid_plural {m.group(3)}msgstr[0] {_q(one)}\nmsgstr[1] {_q(many)}\n"
        return f"{head}msgstr {_q(str(en))}\n"

    text = entry.sub(fill, text)
    text = text.replace("#, fuzzy\n", "", 1)
    text = re.sub(
        r'"Plural-Forms: [^"]*"', lambda _: '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', text
    )
    text = text.replace('"Language: \\n"', '"Language: en\\n"')
    po.write_text(text, encoding="utf-8")
    if missing:
        raise SystemExit("chưa dịch: " + " | ".join(missing))


if __name__ == "__main__":
    main()
