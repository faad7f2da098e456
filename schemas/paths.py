"""The dotted paths of the result contract (TEMPLATE.md §2-§4), in document order.

Everything that enumerates contract fields (the models' builders, the CSV export,
the sample generator, the accuracy benchmark) reads these lists, so a path is
spelled in exactly one place.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["2021", "2019"]
FORMATS: tuple[Format, ...] = ("2021", "2019")

APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_organization",
    "legal_service_institution",
    "other",
    "total",
)

# (row path under `applications`, printed label)
_ROWS_HEAD: tuple[tuple[str, str], ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("results.granted", "（一）予以公开"),
    ("results.partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("results.withheld.state_secret", "1.属于国家秘密"),
    ("results.withheld.prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("results.withheld.three_securities_one_stability", "3.危及“三安全一稳定”"),
    ("results.withheld.third_party_rights", "4.保护第三方合法权益"),
    ("results.withheld.internal_affairs", "5.属于三类内部事务信息"),
    ("results.withheld.process_information", "6.属于四类过程性信息"),
    ("results.withheld.law_enforcement_files", "7.属于行政执法案卷"),
    ("results.withheld.administrative_inquiry", "8.属于行政查询事项"),
    ("results.unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("results.unavailable.requires_creation", "2.没有现成信息需要另行制作"),
    ("results.unavailable.unclear_after_correction", "3.补正后申请内容仍不明确"),
    ("results.not_processed.petition_or_complaint", "1.信访举报投诉类申请"),
    ("results.not_processed.duplicate", "2.重复申请"),
    ("results.not_processed.publication", "3.要求提供公开出版物"),
    ("results.not_processed.excessive", "4.无正当理由大量反复申请"),
    ("results.not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
)
_ROWS_OTHER_2021: tuple[tuple[str, str], ...] = (
    (
        "results.other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "results.other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("results.other.other", "3.其他"),
)
_ROWS_OTHER_2019: tuple[tuple[str, str], ...] = (("results.other.all", "（六）其他处理"),)
_ROWS_TAIL: tuple[tuple[str, str], ...] = (
    ("results.total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)

APPLICATION_ROWS: dict[Format, tuple[tuple[str, str], ...]] = {
    "2021": _ROWS_HEAD + _ROWS_OTHER_2021 + _ROWS_TAIL,
    "2019": _ROWS_HEAD + _ROWS_OTHER_2019 + _ROWS_TAIL,
}

# Group headings printed in the merged left columns of table 3.
APPLICATION_GROUPS: dict[str, str] = {
    "results": "三、本年度办理结果",
    "results.withheld": "（三）不予公开",
    "results.unavailable": "（四）无法提供",
    "results.not_processed": "（五）不予处理",
    "results.other": "（六）其他处理",
}

# Result rows summed by the `results_total` identity: every row under
# `results.` except the total itself.
def result_rows(fmt: Format) -> list[str]:
    rows = APPLICATION_ROWS[fmt]
    return [p for p, _ in rows if p.startswith("results.") and p != "results.total"]


ACTIVE_PATHS: dict[Format, tuple[str, ...]] = {
    "2021": (
        "regulations.issued",
        "regulations.repealed",
        "regulations.in_force",
        "normative_documents.issued",
        "normative_documents.repealed",
        "normative_documents.in_force",
        "administrative_licensing",
        "administrative_punishment",
        "administrative_coercion",
        "administrative_fees",
    ),
    "2019": (
        "regulations.newly_made",
        "regulations.newly_published",
        "regulations.total_published",
        "normative_documents.newly_made",
        "normative_documents.newly_published",
        "normative_documents.total_published",
        "administrative_licensing.previous_year_items",
        "administrative_licensing.change",
        "administrative_licensing.decisions",
        "other_management_services.previous_year_items",
        "other_management_services.change",
        "other_management_services.decisions",
        "administrative_punishment.previous_year_items",
        "administrative_punishment.change",
        "administrative_punishment.decisions",
        "administrative_coercion.previous_year_items",
        "administrative_coercion.change",
        "administrative_coercion.decisions",
        "administrative_fees.previous_year_items",
        "administrative_fees.change",
        "government_procurement.projects",
        "government_procurement.total_amount",
    ),
}
# Active-disclosure values that are amounts (decimals) or may be negative.
DECIMAL_ACTIVE_PATHS = frozenset(
    {"administrative_fees", "government_procurement.total_amount"}
)
SIGNED_ACTIVE_SUFFIX = ".change"

REVIEW_GROUPS: tuple[str, ...] = (
    "administrative_review",
    "litigation_direct",
    "litigation_after_review",
)
REVIEW_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")


def application_paths(fmt: Format) -> list[str]:
    """Every numeric path of table 3, prefixed `applications.`."""
    return [f"applications.{r}.{c}" for r, _ in APPLICATION_ROWS[fmt] for c in APPLICANT_COLUMNS]


def active_paths(fmt: Format) -> list[str]:
    return [f"active_disclosure.{p}" for p in ACTIVE_PATHS[fmt]]


def review_paths() -> list[str]:
    return [f"reviews_and_litigation.{g}.{c}" for g in REVIEW_GROUPS for c in REVIEW_COLUMNS]


def number_paths(fmt: Format) -> list[str]:
    """Every number of the contract for one format, in document order."""
    return active_paths(fmt) + application_paths(fmt) + review_paths()
