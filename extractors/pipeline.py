"""The pipeline driver: named stages, one signature, one screen.

    load_document  -> bytes to an opened document (type sniffed, limits enforced)
    read_pages     -> each page's words and ruling lines (pdfplumber, or OCR for scans)
    find_tables    -> ruling lines to cell grids with spans, text assigned to cells
    stitch_tables  -> tables continued across pages joined
    map_template   -> grids onto table 2/3/4 of the template; format decided
    read_metadata  -> title, issuer, year and prose sections
    check_numbers  -> identities, proven repairs, status
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.errors import MissingTables, NianbaoError, NotAReport
from extractors.layout import Grid, PageLayout
from extractors.loading import LoadedDocument, digest, load, natural_key
from extractors.options import ExtractOptions
from extractors.template import Mapping
from schemas import Finding, Format, ReportInfo, Result, Sections

# One document: its bytes, or the (name, bytes) of each page image of a folder.
Source = bytes | Sequence[tuple[str, bytes]]


@dataclass
class Work:
    """Everything the stages know about one document so far."""

    source: Source
    filename: str
    options: ExtractOptions
    doc: LoadedDocument | None = None
    pages: list[PageLayout] = field(default_factory=list)
    grids_by_page: dict[int, list[Grid]] = field(default_factory=dict)
    tables: list[Grid] = field(default_factory=list)
    mapping: Mapping | None = None
    report: ReportInfo = field(default_factory=ReportInfo)
    sections: Sections = field(default_factory=Sections)
    findings: list[Finding] = field(default_factory=list)
    repaired: bool = False


def load_document(work: Work) -> None:
    work.doc = load(work.source, work.filename, work.options)


def read_pages(work: Work) -> None:
    from extractors.pages import read_all

    assert work.doc is not None
    work.pages = read_all(work.doc, work.options)


def find_tables(work: Work) -> None:
    from extractors.grid import build_grids
    from extractors.pages import refine_document_cells

    for page in work.pages:
        work.grids_by_page[page.number] = build_grids(page)
    scans = [(p, work.grids_by_page[p.number]) for p in work.pages if p.kind == "scan"]
    if scans:
        refine_document_cells(scans, work.options)


def stitch_tables(work: Work) -> None:
    from extractors.stitching import stitch

    work.tables = stitch(work.pages, work.grids_by_page)


def map_template(work: Work) -> None:
    from extractors.template import doubt_table_2_on_bilevel, map_tables

    work.mapping = map_tables(work.tables)
    doubt_table_2_on_bilevel(work.mapping, {p.number for p in work.pages if p.bilevel})
    work.findings.extend(work.mapping.findings)


def read_metadata(work: Work) -> None:
    from extractors.metadata import read_report_info, read_sections, text_lines

    lines = text_lines(work.pages, work.grids_by_page)
    info = read_report_info(lines)
    work.sections = read_sections(lines)
    assert work.mapping is not None
    found = work.mapping.found
    if info.title is None and not found:
        raise NotAReport(
            "This document is not a government information-disclosure annual report: it has "
            "no title 政府信息公开工作年度报告 and none of the report's tables.",
            hint="Check that the right file was uploaded.",
        )
    if work.mapping.format is None:
        work.mapping.format = _format_by_year(info, work.tables)
        if work.mapping.format is None:
            raise MissingTables(
                "The report's statistical tables (table 2 or table 3) were not found, so its "
                "format cannot be decided.",
                hint="If the tables are printed as pictures, upload a scan of the pages.",
            )
        work.findings.append(Finding(
            code="format_uncertain", severity="warning",
            message=f"tables were found, but none could be read as table 2, 3 or 4 (their "
                    f"labels are illegible); the format is taken from the report's year "
                    f"{info.year}: {work.mapping.format}"))
    info.format = work.mapping.format
    work.report = info
    if info.title is None:
        work.findings.append(Finding(code="missing_title", severity="warning",
                                     message="the report's title line was not found"))
    for role, heading in (("active_disclosure", "二、主动公开政府信息情况"),
                          ("applications", "三、收到和处理政府信息公开申请情况"),
                          ("reviews_and_litigation", "四、政府信息公开行政复议、行政诉讼情况")):
        if role not in found:
            work.findings.append(Finding(
                code="missing_table", severity="error",
                message=f"the table of section {heading} was not found (printed as an image, "
                        "or missing); its numbers are null, not 0", paths=[role]))


TABLE_ROWS, TABLE_COLS = 8, 3  # a grid this large is one of the report's tables


def _format_by_year(info: ReportInfo, tables: list[Grid]) -> Format | None:
    """The format a report of its year follows (2021 from the reports for 2021 on),
    where the tables are there but no label of theirs could be read (a scan whose
    threshold broke every stroke of their small print); None without a year, or
    without a table of the report's size."""
    if info.year is None or not any(g.n_rows >= TABLE_ROWS and g.n_cols >= TABLE_COLS
                                    for g in tables):
        return None
    return "2021" if info.year >= 2021 else "2019"


def check_numbers(work: Work) -> None:
    from extractors.validate import validate

    assert work.mapping is not None and work.report.format is not None
    findings, work.repaired = validate(work.mapping.values, work.report.format)
    work.findings.extend(findings)


STAGES: tuple[Callable[[Work], None], ...] = (
    load_document,
    read_pages,
    find_tables,
    stitch_tables,
    map_template,
    read_metadata,
    check_numbers,
)


def extract(source: Source, filename: str, options: ExtractOptions | None = None) -> Result:
    """Extract one document.

    Bad input (corrupt, encrypted, empty, unsupported, too large, not a report) gives
    a `failed` result with a finding that says what is wrong; it never raises for it.
    Raises `EngineError` for a transient engine failure the caller may retry.
    """
    from extractors.assemble import assemble, failed

    work = Work(source=source, filename=filename, options=options or ExtractOptions())
    try:
        for stage in STAGES:
            stage(work)
    except NianbaoError as exc:
        if exc.retryable:
            raise
        return failed(work, exc)
    finally:
        if work.doc is not None:
            work.doc.close()
    return assemble(work)


def extract_path(path: str | Path, options: ExtractOptions | None = None) -> Result:
    """Extract a file, or a folder of page images (one document, natural name order)."""
    p = Path(path)
    if p.is_dir():
        files = sorted((f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")),
                       key=lambda f: natural_key(f.name))
        return extract([(f.name, f.read_bytes()) for f in files], p.name, options)
    return extract(p.read_bytes(), p.name, options)


__all__ = ["STAGES", "Source", "Work", "digest", "extract", "extract_path"]
