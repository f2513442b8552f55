from accounts.names import sort_people, vietnamese_name_key


class Person:
    def __init__(self, display_name):
        self.display_name = display_name


def test_people_sort_by_given_name_before_family_name():
    people = [Person("Nguyễn Văn Bình"), Person("Trần Thị Anh"), Person("Lê Chi")]
    assert [p.display_name for p in sort_people(people)] == [
        "Trần Thị Anh",
        "Nguyễn Văn Bình",
        "Lê Chi",
    ]


def test_vietnamese_letters_follow_the_vietnamese_alphabet():
    # a < ă < â and d < đ, unlike code point or plain ASCII order.
    names = ["Lê Đức", "Lê Dung", "Lê Ân", "Lê Ăn", "Lê An"]
    ordered = sorted(names, key=vietnamese_name_key)
    assert ordered == ["Lê An", "Lê Ăn", "Lê Ân", "Lê Dung", "Lê Đức"]


def test_tones_break_ties_in_traditional_order():
    names = ["Vũ Mạ", "Vũ Má", "Vũ Mã", "Vũ Mả", "Vũ Mà", "Vũ Ma"]
    assert sorted(names, key=vietnamese_name_key) == [
        "Vũ Ma",
        "Vũ Mà",
        "Vũ Mả",
        "Vũ Mã",
        "Vũ Má",
        "Vũ Mạ",
    ]


def test_same_given_name_sorts_by_middle_then_family_name():
    names = ["Phạm Thị Hoa", "Bùi Minh Hoa", "Đỗ Thị Hoa"]
    assert sorted(names, key=vietnamese_name_key) == [
        "Bùi Minh Hoa",
        "Đỗ Thị Hoa",
        "Phạm Thị Hoa",
    ]
