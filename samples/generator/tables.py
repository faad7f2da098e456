"""Tables 2, 3 and 4 as grids of merged cells, before any geometry.

A `Grid` is what a table *is* (cells, spans, texts, which cell holds which
contract path); `render` decides where it lands on the page. Layout variants that
change wording or line breaks inside cells (商业/企业, 结/果/维/持, header drift,
an extra title row) are applied here from `TableStyle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.paths import APPLICANT_COLUMNS, APPLICATION_GROUPS, APPLICATION_ROWS, Format


@dataclass
class Cell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # label | value | title
    path: str | None = None  # the contract path of a value cell


@dataclass
class Grid:
    name: str  # table2 | table3 | table4
    ncols: int
    nrows: int
    header_rows: int  # rows that belong to the header (never split from the first body row)
    col_weights: list[float]
    cells: list[Cell] = field(default_factory=list)

    def add(self, row: int, col: int, text: str, rs: int = 1, cs: int = 1, **kw: object) -> None:
        self.cells.append(Cell(row, col, text, rs, cs, **kw))  # type: ignore[arg-type]


@dataclass(frozen=True)
class TableStyle:
    """Wording and line-break variants of the tables."""

    header_breaks: bool = False  # 商业\n企业 inside table 3's header cells
    t4_labels: str = "two"  # one | two | vertical: 结果维持 / 结果\n维持 / 结\n果\n维\n持
    t4_layout: str = (
        "stacked"  # stacked: 行政复议 rowspan 2, its labels on row 3; side: labels on row 2
    )
    vertical_results_label: bool = False  # 三、本年度办理结果 one character per line
    drift: bool = False  # 本年(2023)制发件数, 现行有效件数（历史累计）, 规范性文件 …
    t2_title_row: bool = False  # an extra merged title row at the top of table 2
    t3_title_row: bool = False  # an extra merged title row at the top of table 3


def _vertical(text: str) -> str:
    return "\n".join(text)


def table2(fmt: Format, printed: dict[str, str], style: TableStyle, year: int) -> Grid:
    g = Grid("table2", 4, 0, 0, [1.6, 1.0, 1.0, 1.0])
    r = 0

    def title(text: str) -> None:
        nonlocal r
        g.add(r, 0, text, cs=4, kind="title")
        r += 1

    def header(labels: list[str], spans: list[int] | None = None) -> None:
        nonlocal r
        spans = spans or [1] * len(labels)
        col = 0
        for text, cs in zip(labels, spans, strict=True):
            g.add(r, col, text, cs=cs)
            col += cs
        r += 1

    def values(label: str, paths: list[str], spans: list[int] | None = None) -> None:
        nonlocal r
        spans = spans or [1] * len(paths)
        g.add(r, 0, label)
        col = 1
        for p, cs in zip(paths, spans, strict=True):
            g.add(
                r,
                col,
                printed[f"active_disclosure.{p}"],
                cs=cs,
                kind="value",
                path=f"active_disclosure.{p}",
            )
            col += cs
        r += 1

    if style.t2_title_row:
        title("主动公开政府信息情况")
    if fmt == "2021":
        title("第二十条第（一）项")
        issued = f"本年({year})制发件数" if style.drift else "本年制发件数"
        in_force = "现行有效件数（历史累计）" if style.drift else "现行有效件数"
        header(["信息内容", issued, "本年废止件数", in_force])
        values("规章", ["regulations.issued", "regulations.repealed", "regulations.in_force"])
        values(
            "规范性文件" if style.drift else "行政规范性文件",
            [
                "normative_documents.issued",
                "normative_documents.repealed",
                "normative_documents.in_force",
            ],
        )
        title("第二十条第（五）项")
        header(["信息内容", "本年处理决定数量"], [1, 3])
        values("行政许可", ["administrative_licensing"], [3])
        title("第二十条第（六）项")
        header(["信息内容", "本年处理决定数量"], [1, 3])
        values("行政处罚", ["administrative_punishment"], [3])
        values("行政强制", ["administrative_coercion"], [3])
        title("第二十条第（八）项")
        header(["信息内容", "本年收费金额（单位：万元）"], [1, 3])
        values("行政事业性收费", ["administrative_fees"], [3])
    else:
        title("第二十条第（一）项")
        header(["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"])
        for item, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
            values(
                label, [f"{item}.newly_made", f"{item}.newly_published", f"{item}.total_published"]
            )
        cols = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
        title("第二十条第（五）项")
        header(cols)
        for item, label in (
            ("administrative_licensing", "行政许可"),
            ("other_management_services", "其他对外管理服务事项"),
        ):
            values(label, [f"{item}.previous_year_items", f"{item}.change", f"{item}.decisions"])
        title("第二十条第（六）项")
        header(cols)
        for item, label in (
            ("administrative_punishment", "行政处罚"),
            ("administrative_coercion", "行政强制"),
        ):
            values(label, [f"{item}.previous_year_items", f"{item}.change", f"{item}.decisions"])
        title("第二十条第（八）项")
        header(["信息内容", "上一年项目数量", "本年增/减"], [1, 1, 2])
        values(
            "行政事业性收费",
            ["administrative_fees.previous_year_items", "administrative_fees.change"],
            [1, 2],
        )
        title("第二十条第（九）项")
        header(["信息内容", "采购项目数量", "采购总金额"], [1, 1, 2])
        values(
            "政府集中采购",
            ["government_procurement.projects", "government_procurement.total_amount"],
            [1, 2],
        )
    g.nrows = r
    return g


_T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_T3_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_T3_ORGS_BROKEN = ("商业\n企业", "科研\n机构", "社会公\n益组织", "法律服\n务机构", "其他")


def table3(fmt: Format, printed: dict[str, str], style: TableStyle) -> Grid:
    rows = APPLICATION_ROWS[fmt]
    top = 1 if style.t3_title_row else 0
    g = Grid(
        "table3",
        10,
        top + 3 + len(rows),
        top + 3,
        [0.55 if style.vertical_results_label else 1.3, 1.3, 2.6] + [1.0] * 7,
    )
    if top:
        g.add(0, 0, "收到和处理政府信息公开申请情况", cs=10, kind="title")
    g.add(top, 0, _T3_CORNER, rs=3, cs=3)
    g.add(top, 3, "申请人情况", cs=7)
    g.add(top + 1, 3, "自然人", rs=2)
    g.add(top + 1, 4, "法人或其他组织", cs=5)
    g.add(top + 1, 9, "总计", rs=2)
    for i, text in enumerate(_T3_ORGS_BROKEN if style.header_breaks else _T3_ORGS):
        g.add(top + 2, 4 + i, text)
    first = top + 3
    paths = [p for p, _ in rows]
    res_idx = [i for i, p in enumerate(paths) if p.startswith("results.")]
    results_label = APPLICATION_GROUPS["results"]
    g.add(
        first + res_idx[0],
        0,
        _vertical(results_label) if style.vertical_results_label else results_label,
        rs=len(res_idx),
    )
    groups_done: set[str] = set()
    for i, (path, label) in enumerate(rows):
        r = first + i
        parts = path.split(".")
        if not path.startswith("results."):
            g.add(r, 0, label, cs=3)
        elif len(parts) == 3 and path != "results.other.all":
            group = ".".join(parts[:2])
            if group not in groups_done:
                groups_done.add(group)
                n = sum(1 for p in paths if p.startswith(group + "."))
                g.add(r, 1, APPLICATION_GROUPS[group], rs=n)
            g.add(r, 2, label)
        else:
            g.add(r, 1, label, cs=2)
        for j, col in enumerate(APPLICANT_COLUMNS):
            p = f"applications.{path}.{col}"
            g.add(r, 3 + j, printed[p], kind="value", path=p)
    return g


_T4_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _t4_label(text: str, mode: str) -> str:
    if text == "总计" or mode == "one":
        return text
    if mode == "vertical":
        return _vertical(text)
    return f"{text[:2]}\n{text[2:]}"


def table4(printed: dict[str, str], style: TableStyle) -> Grid:
    from schemas.paths import REVIEW_COLUMNS, REVIEW_GROUPS

    g = Grid("table4", 15, 4, 3, [1.0] * 15)
    labels = [_t4_label(t, style.t4_labels) for t in _T4_LABELS]
    if style.t4_layout == "stacked":
        g.add(0, 0, "行政复议", rs=2, cs=5)
        g.add(0, 5, "行政诉讼", cs=10)
        g.add(1, 5, "未经复议直接起诉", cs=5)
        g.add(1, 10, "复议后起诉", cs=5)
        for k in range(15):
            g.add(2, k, labels[k % 5])
    else:  # the review labels on row 2, two rows tall, as in the seed report
        g.add(0, 0, "行政复议", cs=5)
        g.add(0, 5, "行政诉讼", cs=10)
        for k in range(5):
            g.add(1, k, labels[k], rs=2)
        g.add(1, 5, "未经复议直接起诉", cs=5)
        g.add(1, 10, "复议后起诉", cs=5)
        for k in range(5, 15):
            g.add(2, k, labels[k % 5])
    k = 0
    for grp in REVIEW_GROUPS:
        for col in REVIEW_COLUMNS:
            p = f"reviews_and_litigation.{grp}.{col}"
            g.add(3, k, printed[p], kind="value", path=p)
            k += 1
    return g


__all__ = ["APPLICANT_COLUMNS", "Cell", "Grid", "TableStyle", "table2", "table3", "table4"]
