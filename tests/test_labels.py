"""Tolerant label matching (`extractors.template.labels`) and the role tests built on it."""

from __future__ import annotations

import pytest

from extractors.layout import Grid, GridCell
from extractors.template.labels import has_word
from extractors.template.reviews import is_reviews
from schemas.paths import Format
from tests.grids import text_grid


def test_one_misread_character_is_tolerated_in_long_words_only() -> None:
    assert has_word("行政诉讼未经复议", "行政诉讼")
    assert has_word("行政诉证未经复议", "行政诉讼")  # 讼 read as 证
    assert has_word("政复议结果维持", "行政复议")  # 行 lost at the cell's edge
    assert not has_word("行政诉证未经夏议", "未经复议直接起诉")
    assert not has_word("行诉证", "行政诉讼")
    assert not has_word("规草", "规章")  # two-character words must be exact
    assert not has_word("行政处罚", "行政复议诉讼")


def test_the_reviews_table_is_known_through_ocr_errors_in_its_header() -> None:
    # As read from a blurred phone photo: 行政诉讼 -> 行政诉证, 复议后起诉 -> 复议后起讲.
    assert is_reviews(text_grid([["行政复议", "行政诉证", "未经复议直接起诉", "复议后起讲"]]))
    assert not is_reviews(text_grid([["行政许可", "行政处罚", "行政强制"]]))


def test_an_item_label_with_one_misread_character_is_still_its_item() -> None:
    from extractors.template.active import map_active

    grid = text_grid([["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                   ["烧章", "1", "2", "3"],           # 规章, its first character misread
                   ["规范性丈件", "4", "5", "6"]])    # 规范性文件
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.regulations.newly_made"] == 1
    assert values["active_disclosure.normative_documents.total_published"] == 6
    grid = text_grid([["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                   ["烧饼", "1", "2", "3"]])           # two characters wrong: not an item
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.regulations.newly_made"] is None


def test_a_header_word_misread_into_another_columns_word_does_not_take_its_column() -> None:
    from extractors.template.active import map_active

    # As read from a blurred 150-dpi photo (10227-0015): 本年新公开数量 with 新 misread
    # holds 公开数, which is 公开总数 with a character lost; 对外公开总数量 as 时阶公件总数量
    # holds 公件总数, one character from it. Neither column may keep the key.
    grid = text_grid([["信息内容", "本年新制作数量", "本年街公开数量", "时阶公件总数量"],
                      ["规章", "69", "68", "575"],
                      ["规范性文件", "86", "85", "457"]])
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.regulations.newly_published"] == 68
    assert values["active_disclosure.regulations.total_published"] == 575
    assert values["active_disclosure.normative_documents.total_published"] == 457
    # the column whose word is printed whole keeps it
    grid = text_grid([["信息内容", "本年新制作数量", "本年街公开数量", "对外公开总数量"],
                      ["规章", "69", "68", "575"]])
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.regulations.newly_published"] == 68
    assert values["active_disclosure.regulations.total_published"] == 575


def test_an_unreadable_item_label_is_known_by_the_item_beside_it() -> None:
    from extractors.template.active import map_active

    # 制发 and 废止 misread in the header
    grid = text_grid([["信息内容", "本年制成件数", "本年屋止纤数", "现行有效件数"],
                   ["规章", "1", "2", "3"],
                   ["行政规您性文样", "4", "5", "6"],  # 行政规范性文件, two characters wrong
                   ["信息内容", "本年处理决定数量"],
                   ["行减处费", "7"],                  # 行政处罚
                   ["行政强制", "8"]])
    values = {p: v.value for p, v in map_active(grid, "2021").values.items()}
    assert values["active_disclosure.regulations.repealed"] == 2  # the header by its place
    assert values["active_disclosure.normative_documents.issued"] == 4
    assert values["active_disclosure.normative_documents.in_force"] == 6
    assert values["active_disclosure.administrative_punishment"] == 7
    assert values["active_disclosure.administrative_coercion"] == 8


def test_the_only_item_under_its_header_is_known_by_the_header() -> None:
    from extractors.template.active import map_active

    grid = text_grid([["信息内容", "采购项目数量", "采购总金额"],
                   ["政府集中荣胸", "4", "1.50"]])  # 政府集中采购, two characters wrong
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.government_procurement.projects"] == 4


def _table2_2019(first: str, second: str) -> list[list[str]]:
    """Table 2 (2019) as read from a blurred 150-dpi scan, the two items of its first
    section labelled `first` and `second`."""
    return [["第二十条第（一）项"],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            [first, "1", "2", "3"],
            [second, "4", "5", "6"],
            ["第二十条第（五）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "7", "0", "8"],
            ["其他对外管理服务事项", "1", "0", "9"],
            ["第二十条第（六）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "2", "0", "3"],
            ["行政强制", "1", "0", "1"],
            ["第二十条第（八）项"],
            ["信息内容", "上一年项目数量", "本年增/减"],
            ["行政事业性收费", "0", "0"],
            ["第二十条第（九）项"],
            ["信息内容", "采购项目数量", "采购总金额"],
            ["政府集中采购", "4", "1.50"]]


def test_items_misread_past_matching_are_known_by_their_place_in_the_template() -> None:
    from extractors.template.active import map_active

    # 规章 and 规范性文件 as read: neither is an item, nor is either beside one
    grid = text_grid(_table2_2019("州中", "现总性文件"))
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.regulations.newly_made"] == 1
    assert values["active_disclosure.normative_documents.total_published"] == 6
    assert values["active_disclosure.administrative_licensing.decisions"] == 8


def test_items_are_not_placed_when_the_table_does_not_fall_into_the_template() -> None:
    from extractors.template.active import map_active

    rows = _table2_2019("州中", "现总性文件")
    del rows[15:]  # the last section lost (on a page not read)
    values = {p: v.value for p, v in map_active(text_grid(rows), "2019").values.items()}
    assert values["active_disclosure.regulations.newly_made"] is None
    rows = _table2_2019("州中", "行政许可")  # a read item where the template has none
    values = {p: v.value for p, v in map_active(text_grid(rows), "2019").values.items()}
    assert values["active_disclosure.regulations.newly_made"] is None


def test_the_reviews_table_is_known_by_its_shape_when_every_heading_is_misread() -> None:
    # As read from a 150-dpi phone photo: 行政复议 -> 种政是法, 行政诉讼 -> 行政评细, ...
    heads = ["验", "禁正", "新", "新", "总计", "联", "群", "其业长", "警", "总计",
             "成", "请放表光", "科", "", "总计"]
    rows = [["种政是法", "行政评细"], ["表经复议赢接起弹", "复证后起师"], heads, ["—"] * 15]
    assert is_reviews(text_grid(rows))
    assert not is_reviews(text_grid(rows[:3]))  # no row of numbers
    # table 3 has 总计 as a column and as a row, but not fifteen columns
    narrow = [["申请人情况", "自然人", "总计"], ["（七）总计", "1", "1"]]
    assert not is_reviews(text_grid(narrow))


def test_table_3_is_known_through_a_blurred_photos_misreadings() -> None:
    from extractors.template.applications import is_applications

    # As read from a 150-dpi heavy photo: 自然人, 商业企业 and 结转 are lost.
    grid = text_grid([
        ["(本列数据的勾精关系为：第一项加第二项之和→等于第三项加第细项之和", "申请人情况"],
        ["二自人", "法人成其他组织", "选件"],
        ["业", "", "社会会A级织", "法律驱备机构", "其地"],
        ["一、奉年新收政府信愿公开申请教量", "5", "—"],
        ["二·上年结特政游信息公开申请数量", "", "—"],
    ])
    assert is_applications(grid)
    table4 = text_grid([["行政复议", "行政诉讼"], ["未经复议直接起诉", "复议后起诉"],
                        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]])
    table2 = text_grid([["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                        ["规章", "1", "2", "3"], ["行政许可", "0", "0", "4"]])
    assert not is_applications(table4) and not is_applications(table2)
    assert is_reviews(table4) and not is_reviews(grid)


def test_traditional_and_japanese_forms_read_for_a_labels_characters_count_as_it() -> None:
    from extractors.template.labels import squash

    assert squash("本年处理決定数量") == "本年处理决定数量"
    assert squash("（七）總計") == "七总计"
    assert has_word(squash("本年赴理決定教量"), "处理决定")  # and one character misread


def test_a_one_number_item_under_a_header_misread_past_matching_keeps_its_number() -> None:
    from extractors.template.active import map_active

    grid = text_grid([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                   ["规章", "1", "2", "3"],
                   ["行政规范性文件", "4", "5", "6"],
                   ["信息内容", "本年定理女動星"],  # 本年处理决定数量, on a blurred photo
                   ["行政许可", "347"],
                   ["信息内容", "本年处理决定数量"],
                   ["行政处罚", "7"],
                   ["行政强制", "8"]])
    values = {p: v.value for p, v in map_active(grid, "2021").values.items()}
    assert values["active_disclosure.administrative_licensing"] == 347
    assert values["active_disclosure.normative_documents.in_force"] == 6
    assert values["active_disclosure.administrative_coercion"] == 8


def test_table_3_is_known_by_its_rows_when_its_header_words_are_misread() -> None:
    from extractors.template.applications import is_applications

    # A blurred 150-dpi photo: of table 3's header words only 自然人 read right
    # (法人成美他组织, 本年新政政将…, 予60开), and the whole table was lost (161 fields).
    labels = ["一、本年新政政将信息公开申请", "二·上年结种政府信息公开申请", "(一) 予60开",
              "（二）部分会开（注分处理的·", "1.晶于国家标密", "2、算地法律行政澳规策正公膏",
              "3.通生\"正安全一栋定", "4.保护第工方分法权益", "2.属于工类内部事务信急",
              "6.属于叫类过程性信息", "7.关于行政执法宽务", "8.属于行政费的事项",
              "3.称正后申通内容例1明确", "2. 重复申请", "3.要求提供分开出报物", "(七)总计"]
    header = [["(本列数循的句缩关系为：第一", "申请人情况", "", "", "", "", "", ""],
              ["", "自然人", "法人成美他组织", "", "", "", "", "总计"]]
    rows = header + [[label] + ["0"] * 7 for label in labels]
    assert is_applications(text_grid(rows, width=60.0, page=2))
    # Table 2's rows are no table 3's, however many
    active = [["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]] + [
        [label, "0", "0", "0"] for label in
        ("规章", "规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制",
         "行政事业性收费", "政府集中采购", "信息内容", "行政许可", "行政处罚")]
    assert not is_applications(text_grid(active, width=60.0, page=1))


def _item_values(grid: Grid, fmt: Format, item: str, keys: tuple[str, ...],
                 ) -> tuple[list[object], dict[str, object], bool]:
    """Table 2 mapped: the item's numbers in `keys` order, every value by path, and
    whether some columns were known by their places."""
    from extractors.template.active import map_active

    mapping = map_active(grid, fmt)
    values = {p: v.value for p, v in mapping.values.items()}
    return ([values[f"active_disclosure.{item}.{k}"] for k in keys], values,
            any(f.code == "columns_by_position" for f in mapping.findings))


def test_items_under_a_header_merged_into_the_title_row_take_their_columns_by_place() -> None:
    from extractors.layout import Grid, GridCell
    from extractors.template.active import map_active

    # 10387-0014: the seal hid the line under 第二十条第（一）项 and the column lines of
    # the header, whose words were read into the title's cell.
    rows = text_grid([["规章", "0", "2", "5"], ["行政规范性文件", "1", "0", "1"],
                      ["规范性文件", "7", "8"]])  # (a row with a column lost)
    title = GridCell(row=0, col=0, row_span=1, col_span=4, page=1, bbox=(0, -30, 320, 0),
                     text="第二十条第（一）项信息内容 本年制发件数 本年废止件数 现行有效件数",
                     confidence=0.8, scanned=True)
    grid = Grid(pages=[1], bbox=(0, -30, 320, 90), n_rows=4, n_cols=4,
                cells=[title] + [GridCell(**{**c.__dict__, "row": c.row + 1})
                                 for c in rows.cells[:8]],
                col_edges=rows.col_edges)
    got, values, by_place = _item_values(grid, "2021", "regulations",
                                         ("issued", "repealed", "in_force"))
    assert got == [0, 2, 5] and by_place
    assert values["active_disclosure.normative_documents.in_force"] == 1
    # as many cells as columns only: one lost, none is taken for another
    short = Grid(pages=[1], bbox=(0, -30, 320, 30), n_rows=2, n_cols=4,
                 cells=[title, GridCell(**{**rows.cells[8].__dict__, "row": 1}),
                        GridCell(**{**rows.cells[9].__dict__, "row": 1}),
                        GridCell(**{**rows.cells[10].__dict__, "row": 1})],
                 col_edges=rows.col_edges)
    values = {p: v.value for p, v in map_active(short, "2021").values.items()}
    assert values["active_disclosure.normative_documents.issued"] is None
    # a header that names the columns is followed, and says nothing more
    named = text_grid([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                       ["规章", "0", "2", "5"]])
    mapping = map_active(named, "2021")
    assert mapping.values["active_disclosure.regulations.in_force"].value == 5
    assert not any(f.code == "columns_by_position" for f in mapping.findings)


def _header_spanning_two(rows: list[list[str]], col: int, text: str) -> Grid:
    """Table 2's rows as a grid whose header cell at `col` spans it and the next
    column (the line between them lost), read as `text`."""
    texts = text_grid(rows)
    both = GridCell(row=0, col=col, row_span=1, col_span=2, page=1,
                    bbox=(80.0 * col, 0, 80.0 * col + 160, 30), text=text,
                    confidence=0.3, scanned=True)
    cells = [c for c in texts.cells if c.row or c.col not in (col, col + 1)] + [both]
    return Grid(pages=[1], bbox=texts.bbox, n_rows=len(rows), n_cols=4, cells=cells,
                col_edges=texts.col_edges)


# A header cell holding two headings, the line between them lost in the header row
# alone:
# - 10437-0029 (2019, black and white): the cell holding 上一年项目数量 and 本年增/减
#   was taken for the first, and 本年增/减 of 行政许可 and 其他对外管理服务事项 were lost;
# - 10605-0037 (black and white, its seal printed black): the cell of 本年增/减 and
#   处理决定数量, read "本年增/处谨决定数量", was taken for 处理决定数量 at the place of
#   本年增/减: 行政许可's 增11 was read as its decisions and its change was lost.
@pytest.mark.parametrize(("header", "col", "text", "licensing", "other"), [
    (["信息内容", "", "", "处理决定数量"], 1, "上一年项目数量 本年增/减",
     [["0", "3", "198"], ["1", "0", "46"]], ("change", 0)),
    (["信息内容", "上一年项目数量", "", ""], 2, "本年增/处谨决定数量",
     [["15", "增11", "13048"], ["0", "增10", "2395"]], ("decisions", 2395)),
])
def test_a_cell_holding_two_headings_leaves_the_columns_to_their_places(
        header: list[str], col: int, text: str, licensing: list[list[str]],
        other: tuple[str, int]) -> None:
    rows = [header, ["行政许可", *licensing[0]], ["其他对外管理服务事项", *licensing[1]]]
    grid = _header_spanning_two(rows, col, text)
    got, values, by_place = _item_values(grid, "2019", "administrative_licensing",
                                         ("previous_year_items", "change", "decisions"))
    assert got == [int(v.removeprefix("增")) for v in licensing[0]] and by_place
    assert values[f"active_disclosure.other_management_services.{other[0]}"] == other[1]


def test_a_column_a_header_names_elsewhere_than_its_place_is_not_known_by_place() -> None:
    from extractors.template.active import map_active

    grid = _header_spanning_two(
        [["信息内容", "", "", "本年增/减"],
         ["行政许可", "0", "3", "198"], ["其他对外管理服务事项", "1", "0", "46"]],
        1, "上一年项目数量")
    values = {p: v.value for p, v in map_active(grid, "2019").values.items()}
    assert values["active_disclosure.administrative_licensing.change"] != 3
