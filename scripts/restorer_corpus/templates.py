"""Sentence templates of plan and report prose, expanded into varied in-domain training text.

Why: hand-written plans give the restorer the vocabulary of our documents, but each phrase
appears a few times only.  These templates repeat the scoring, award and procedure phrasing
with different units, numbers and dates, so that the n-gram counts of the words we extract
(điểm, thưởng, tối đa, hồ sơ, thủ tục, tài khoản, giải nhất ...) are well estimated.
Written for planparse; nothing here is copied from the evaluation seeds.
"""

from __future__ import annotations

import random

PROVINCES = ["Đồng Tháp", "Hậu Giang", "Tiền Giang", "Long An", "Bến Tre", "Vĩnh Long", "Trà Vinh",
             "Sóc Trăng", "Cần Thơ", "An Giang", "Kiên Giang", "Bạc Liêu", "Cà Mau", "Quảng Nam",
             "Thừa Thiên Huế", "Nghệ An", "Thanh Hóa", "Thái Bình", "Hà Tĩnh", "Bình Định"]
DISTRICTS = ["Châu Thành", "Phụng Hiệp", "Long Mỹ", "Vị Thủy", "Cai Lậy", "Cao Lãnh", "Tháp Mười",
             "Lai Vung", "Tam Nông", "Thanh Bình", "Hồng Ngự", "Lấp Vò", "Mỏ Cày Nam", "Giồng Trôm",
             "Cầu Kè", "Tiểu Cần", "Mỹ Tú", "Kế Sách", "Thới Bình", "Phú Tân", "Tân Phước", "Gò Công Tây"]
COMMUNES = ["Tân Hòa", "Phú Hữu", "Long Thạnh", "Hòa An", "Tân Phú Thạnh", "Thạnh Xuân", "Đông Phước",
            "Mỹ Hiệp", "An Nhơn", "Bình Thành", "Tân Bình", "Phước Long", "Vĩnh Thạnh", "Hiệp Hưng",
            "Tân Long", "Long Bình", "Thuận Hưng", "Mỹ An Hưng", "Tân Nhuận Đông", "An Khánh",
            "Hòa Tân", "Phú Long", "Tân Thành", "Thạnh Hòa", "Nhơn Nghĩa A", "Cái Tắc", "Rạch Gòi",
            "Một Ngàn", "Bảy Ngàn", "Cây Dương", "Kinh Cùng", "Búng Tàu", "Phương Bình", "Hòa Mỹ"]
DEPARTMENTS = ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch", "Phòng Kinh tế",
               "Phòng Kinh tế và Hạ tầng", "Phòng Tài nguyên và Môi trường",
               "Phòng Lao động - Thương binh và Xã hội", "Phòng Văn hóa và Thông tin",
               "Phòng Giáo dục và Đào tạo", "Phòng Y tế", "Phòng Nông nghiệp và Phát triển nông thôn",
               "Phòng Quản lý đô thị", "Thanh tra huyện", "Văn phòng HĐND và UBND huyện",
               "Công an huyện", "Chi nhánh Văn phòng Đăng ký đất đai", "Bảo hiểm xã hội huyện"]
PERSONS = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Quốc Bảo", "Huỳnh Thị Ngọc Hân",
           "Võ Thành Nhân", "Đặng Văn Lực", "Bùi Thị Thu Trang", "Đỗ Hoàng Nam", "Ngô Thị Kim Loan",
           "Dương Văn Phước", "Lý Thị Hồng Nhung", "Trương Công Danh", "Phan Thanh Tùng",
           "Hồ Thị Bích Ngọc", "Châu Văn Đức", "Lâm Quang Vinh", "Tô Thị Diễm", "Mai Xuân Trường"]
MOVEMENTS = [
    "Thực hiện dịch vụ công trực tuyến mức độ 3, mức độ 4",
    "Người dân {district} nộp dịch vụ công trực tuyến",
    "Đẩy mạnh thanh toán trực tuyến trong giải quyết thủ tục hành chính",
    "Chuyển đổi số trong cải cách hành chính",
    "Cán bộ, công chức thi đua thực hiện văn hóa công sở",
    "Đẩy mạnh cấp tài khoản định danh điện tử mức độ 2",
    "Thi đua thực hiện dịch vụ công trực tuyến toàn trình",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
]
UNIT_WORDS = ["hồ sơ", "tài khoản", "thủ tục", "giao dịch", "lượt", "hộ gia đình", "người dân"]
AWARDS = ["giải nhất", "giải nhì", "giải ba", "giải khuyến khích", "hạng nhất", "hạng nhì", "hạng ba"]
MONEY_WORDS = {
    500000: "Năm trăm nghìn đồng", 1000000: "Một triệu đồng", 1500000: "Một triệu năm trăm nghìn đồng",
    2000000: "Hai triệu đồng", 2500000: "Hai triệu năm trăm ngàn đồng", 3000000: "Ba triệu đồng",
    4000000: "Bốn triệu đồng", 5000000: "Năm triệu đồng", 10000000: "Mười triệu đồng",
    700000: "Bảy trăm nghìn đồng", 800000: "Tám trăm ngàn đồng", 1200000: "Một triệu hai trăm nghìn đồng",
}

TEMPLATES = [
    "Tỷ lệ hồ sơ nộp trực tuyến đạt từ {pct}% trở lên: {pts} điểm; dưới {pct2}%: không tính điểm.",
    "Đạt {big} {unit} trở lên: {pts} điểm; dưới {big} {unit} không tính điểm.",
    "Cứ tăng {step} {unit} được cộng {small} điểm, không giới hạn điểm cộng.",
    "Cứ tăng thêm {step} {unit} cộng {small} điểm, tối đa không quá {pts} điểm.",
    "Tỷ lệ = số hồ sơ trực tuyến / tổng số hồ sơ; Điểm = Tỷ lệ x điểm tối đa; đạt 100%: điểm tối đa.",
    "Tỷ lệ < {pct2}%: không xét điểm thi đua.",
    "Từ {pct}% số hồ sơ trở lên: {pts}; từ {pct2}% - dưới {pct}%: tính theo công thức Tỷ lệ % số hồ sơ x {small} / {pct}%.",
    "Xây dựng Kế hoạch: {small} điểm; không xây dựng: không tính điểm.",
    "Không đăng ký thi đua trừ {small} điểm.",
    "Báo cáo trễ {d1}-{d2} ngày trừ {small} điểm/lần; trễ trên {d2} ngày trừ {pts} điểm/lần.",
    "Đơn vị đạt từ {hi} điểm trở lên được xét khen thưởng.",
    "Trường hợp các đơn vị có điểm bằng nhau thì xét đơn vị có tỷ lệ hồ sơ trực tuyến cao hơn.",
    "Điểm bằng nhau thì xét đơn vị có số {unit} nhiều hơn.",
    "01 {award}: được Chủ tịch Ủy ban nhân dân {level} tặng Giấy khen và kèm theo tiền thưởng {money} đồng ({money_words}).",
    "- {award_cap}: Giấy khen kèm theo tiền thưởng {money}đ.",
    "Khen thưởng {n} tập thể và {n2} cá nhân có thành tích xuất sắc trong phong trào thi đua.",
    "Đơn vị đạt {award} được cộng {small} điểm thi đua khi bình xét thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội.",
    "{dept} đạt {score} điểm, xếp thứ {rank}.",
    "Xã {commune} đạt {score} điểm, xếp {award}.",
    "Thị trấn {commune} tiếp nhận {big} hồ sơ, trong đó có {big2} hồ sơ nộp trực tuyến, đạt tỷ lệ {pctf}%.",
    "Căn cứ Kế hoạch số {num}/KH-UBND ngày {day} tháng {month} năm {year} của Ủy ban nhân dân tỉnh {province} về cải cách hành chính năm {year};",
    "Thực hiện Hướng dẫn số {num}/HD-HĐTĐKT ngày {day} tháng {month} năm {year} của Hội đồng Thi đua - Khen thưởng tỉnh {province};",
    "Ủy ban nhân dân huyện {district} ban hành Kế hoạch phát động phong trào thi đua \"{movement}\" năm {year}.",
    "Thời gian thi đua: từ ngày {day}/{month}/{year} đến hết ngày 30/11/{year}.",
    "Số liệu được lấy từ Hệ thống thông tin giải quyết thủ tục hành chính tỉnh {province} tính đến ngày {day}/{month}/{year}.",
    "Các cơ quan, đơn vị nộp hồ sơ đề nghị khen thưởng về Phòng Nội vụ chậm nhất đến ngày {day}/{month}/{year}.",
    "Hồ sơ đề nghị khen thưởng gồm: tờ trình, biên bản họp xét, báo cáo thành tích và bảng tự chấm điểm.",
    "{dept} chủ trì, phối hợp các đơn vị liên quan theo dõi, tổng hợp kết quả thực hiện.",
    "Giao {dept} hướng dẫn, thẩm định hồ sơ đề nghị khen thưởng của các cơ quan, đơn vị.",
    "Ủy ban nhân dân xã {commune} hướng dẫn {big} người dân tạo tài khoản định danh điện tử mức độ 2.",
    "Tỷ lệ hồ sơ giải quyết đúng hạn đạt {pctf}%, không có hồ sơ trễ hạn.",
    "Tổng điểm tối đa là {hundred} điểm, điểm thưởng tối đa {small} điểm.",
    "Điểm chuẩn của tiêu chí là {pts} điểm; đơn vị không thực hiện không tính điểm.",
    "Điểm trừ: để xảy ra phản ánh, kiến nghị có căn cứ trừ {small} điểm/trường hợp.",
    "Mỗi hồ sơ trễ hạn trừ {small} điểm; tối đa trừ không quá {pts} điểm.",
    "Thủ tục hành chính được cung cấp dịch vụ công trực tuyến toàn trình, một phần trên Cổng dịch vụ công quốc gia.",
    "Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng huyện năm {year}.",
    "Nơi nhận: - Sở Nội vụ tỉnh {province}; - TT. Huyện ủy; - Lưu: VT.",
    "Phòng Văn hóa và Thông tin huyện {district} tăng cường tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến.",
    "Tổ công nghệ số cộng đồng ấp {commune} hỗ trợ người dân thanh toán phí, lệ phí trực tuyến.",
    "{person}, công chức {dept}, có thành tích xuất sắc trong tham mưu thực hiện dịch vụ công trực tuyến.",
    "KT. CHỦ TỊCH PHÓ CHỦ TỊCH {person_upper}",
    "{district_upper}, ngày {day} tháng {month} năm {year}",
    "Số: {num}/KH-UBND {district}, ngày {day} tháng {month} năm {year}",
    "UBND xã {commune} đạt {score} điểm, đạt {award}, được tặng Giấy khen và tiền thưởng {money} đồng.",
    "Đối với tập thể các xã, thị trấn đạt và vượt chỉ tiêu, xét chọn {n} đơn vị dẫn đầu để khen theo cơ cấu giải thưởng.",
    "Tiêu chí {n}: Tỷ lệ thanh toán trực tuyến trên tổng số hồ sơ có phí, lệ phí, tối đa {pts} điểm.",
    "STT Nội dung Tiêu chí Điểm chuẩn {n} Số tài khoản đăng ký mới {unit} {pts}",
    "Nếu tỷ lệ đạt dưới {pct2}% thì đơn vị không được xét khen thưởng và không tính điểm tiêu chí này.",
    "Giải thưởng gồm {n} giải nhất, {n2} giải nhì, {n} giải ba và {n2} giải khuyến khích.",
]


def _money(rng: random.Random) -> tuple[str, str]:
    value = rng.choice(list(MONEY_WORDS))
    return f"{value:,}".replace(",", "."), MONEY_WORDS[value]


def expand(n: int, seed: int = 7) -> list[str]:
    """`n` sentences drawn from the templates with random slot values (deterministic)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        template = rng.choice(TEMPLATES)
        money, money_words = _money(rng)
        person = rng.choice(PERSONS)
        district = rng.choice(DISTRICTS)
        award = rng.choice(AWARDS)
        values = {
            "pct": rng.choice([30, 40, 50, 60, 70, 80, 90]), "pct2": rng.choice([10, 20, 30, 50, 70]),
            "pts": rng.choice([5, 10, 15, 20, 25, 30, 40]), "small": rng.choice(["1", "2", "3", "5", "02", "05", "10"]),
            "big": f"{rng.choice([500, 1000, 1500, 2000, 3000, 12500]):,}".replace(",", "."),
            "big2": f"{rng.randint(100, 9000):,}".replace(",", "."),
            "step": rng.choice([50, 100, 200, 500]), "unit": rng.choice(UNIT_WORDS),
            "d1": "01", "d2": rng.choice(["03", "05"]), "hi": rng.choice([80, 85, 90, 95]),
            "award": award, "award_cap": award[0].upper() + award[1:],
            "level": rng.choice(["huyện", "tỉnh", "thị xã", "thành phố"]),
            "money": money, "money_words": money_words,
            "n": f"{rng.randint(1, 9):02d}", "n2": f"{rng.randint(1, 12):02d}",
            "dept": rng.choice(DEPARTMENTS), "commune": rng.choice(COMMUNES),
            "score": rng.choice(["98", "96,5", "95", "93,25", "91", "90", "88,05", "87,5", "85"]),
            "rank": rng.choice(["nhất", "nhì", "ba", "tư", "năm"]),
            "pctf": f"{rng.randint(10, 99)},{rng.randint(0, 99):02d}",
            "num": rng.randint(10, 3500), "day": f"{rng.randint(1, 28):02d}", "month": rng.randint(1, 12),
            "year": rng.randint(2019, 2025), "province": rng.choice(PROVINCES), "district": district,
            "district_upper": district.upper(), "movement": rng.choice(MOVEMENTS).replace("{district}", district),
            "hundred": 100, "person": person, "person_upper": person,
        }
        out.append(template.format(**values))
    return out


if __name__ == "__main__":
    print("\n".join(expand(20)))
