"""Chinese line breaking (screens/linebreak.py): 禁则, unbroken codes, no one-character orphan.
Measured in columns (one per character) so each expectation is exact."""
from screens.linebreak import units, wrap


def cols(text):
    return len(text)


def test_closing_punctuation_never_starts_a_line():
    # a plain character break would give "请全面理解内容" / "。"
    assert wrap("请全面理解内容。", 7, cols) == ["请全面理解", "内容。"]   # and no lone "容。"
    lines = wrap("请仔细阅读，全面理解。然后签名", 5, cols)
    assert not any(line[0] in "。，、）" for line in lines) and "".join(lines) == "请仔细阅读，全面理解。然后签名"


def test_opening_punctuation_never_ends_a_line():
    assert wrap("请选择事项（按类别浏览）", 6, cols)[0] == "请选择事项"   # not "请选择事项（"
    lines = wrap("请选择事项（按类别浏览）", 7, cols)
    assert not any(line.endswith("（") for line in lines)
    assert not any(line.startswith("）") for line in lines)


def test_numbers_codes_and_id_fragments_stay_whole():
    text = "受理号：TJ2026-000777 请于2027-01-15前补交，身份证号120101********1234"
    for width in range(18, 40):
        joined = "\n".join(wrap(text, width, cols))
        for token in ("TJ2026-000777", "2027-01-15", "120101********1234"):
            assert token in joined, (width, joined)
    assert "202611\n28" not in "\n".join(wrap("参考号 20261128", 9, cols))


def test_a_file_name_keeps_its_extension():
    name = "申请书（空白格式文本）.pdf"
    for width in range(6, len(name)):
        lines = wrap(name, width, cols)
        assert "".join(lines) == name and not any(line.startswith(("pdf", ".pdf")) for line in lines), lines
        assert any(line.endswith("本）.pdf") for line in lines), lines     # with the character before it
    assert "name.tar\ngz" not in "\n".join(wrap("下载 name.tar.gz 文件", 12, cols))


def test_no_one_character_orphan():
    assert wrap("评价本次服务", 5, cols) == ["评价本次", "服务"]
    assert wrap("打印凭条。", 4, cols) == ["打印", "凭条。"]    # a lone character plus its stop is an orphan too


def test_text_that_fits_and_paragraphs_are_kept():
    assert wrap("短句", 10, cols) == ["短句"]
    assert wrap("第一段\n\n第二段", 10, cols) == ["第一段", "", "第二段"]


def test_a_unit_wider_than_the_line_is_the_only_thing_cut():
    assert wrap("ABCDEFGHIJ", 4, cols) == ["ABCD", "EFGH", "IJ"]


def test_latin_words_break_at_spaces():
    assert wrap("Apply by commitment now", 12, cols) == ["Apply by", "commitment", "now"]


def test_markup_tags_have_no_width_and_stay_with_their_text():
    lines = wrap("[b]承诺办理[/b]，请核验身份", 5, cols, markup=True)
    assert lines[0] == "[b]承诺办理[/b]，"
    assert units("（[b]甲[/b]）", markup=True) == ["（[b]甲[/b]）"]
