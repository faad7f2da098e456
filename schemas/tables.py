"""Pydantic models of the three statistical tables (TEMPLATE.md §2-§4).

Every number is optional: `null` means unreadable or absent, and is always
accompanied by a finding. Zero is a real 0.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

Count = int | None
Amount = float | None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- table 3: the applicant matrix -------------------------------------------------


class ApplicantRow(_Model):
    natural_person: Count = None
    commercial_enterprise: Count = None
    research_institution: Count = None
    social_welfare_organization: Count = None
    legal_service_institution: Count = None
    other: Count = None
    total: Count = None


class Withheld(_Model):
    state_secret: ApplicantRow = Field(default_factory=ApplicantRow)
    prohibited_by_law: ApplicantRow = Field(default_factory=ApplicantRow)
    three_securities_one_stability: ApplicantRow = Field(default_factory=ApplicantRow)
    third_party_rights: ApplicantRow = Field(default_factory=ApplicantRow)
    internal_affairs: ApplicantRow = Field(default_factory=ApplicantRow)
    process_information: ApplicantRow = Field(default_factory=ApplicantRow)
    law_enforcement_files: ApplicantRow = Field(default_factory=ApplicantRow)
    administrative_inquiry: ApplicantRow = Field(default_factory=ApplicantRow)


class Unavailable(_Model):
    not_held: ApplicantRow = Field(default_factory=ApplicantRow)
    requires_creation: ApplicantRow = Field(default_factory=ApplicantRow)
    unclear_after_correction: ApplicantRow = Field(default_factory=ApplicantRow)


class NotProcessed(_Model):
    petition_or_complaint: ApplicantRow = Field(default_factory=ApplicantRow)
    duplicate: ApplicantRow = Field(default_factory=ApplicantRow)
    publication: ApplicantRow = Field(default_factory=ApplicantRow)
    excessive: ApplicantRow = Field(default_factory=ApplicantRow)
    confirm_or_reissue: ApplicantRow = Field(default_factory=ApplicantRow)


class OtherResults2021(_Model):
    overdue_correction: ApplicantRow = Field(default_factory=ApplicantRow)
    overdue_fee: ApplicantRow = Field(default_factory=ApplicantRow)
    other: ApplicantRow = Field(default_factory=ApplicantRow)


class OtherResults2019(_Model):
    all: ApplicantRow = Field(default_factory=ApplicantRow)


class Results2021(_Model):
    granted: ApplicantRow = Field(default_factory=ApplicantRow)
    partially_granted: ApplicantRow = Field(default_factory=ApplicantRow)
    withheld: Withheld = Field(default_factory=Withheld)
    unavailable: Unavailable = Field(default_factory=Unavailable)
    not_processed: NotProcessed = Field(default_factory=NotProcessed)
    other: OtherResults2021 = Field(default_factory=OtherResults2021)
    total: ApplicantRow = Field(default_factory=ApplicantRow)


class Results2019(_Model):
    granted: ApplicantRow = Field(default_factory=ApplicantRow)
    partially_granted: ApplicantRow = Field(default_factory=ApplicantRow)
    withheld: Withheld = Field(default_factory=Withheld)
    unavailable: Unavailable = Field(default_factory=Unavailable)
    not_processed: NotProcessed = Field(default_factory=NotProcessed)
    other: OtherResults2019 = Field(default_factory=OtherResults2019)
    total: ApplicantRow = Field(default_factory=ApplicantRow)


class Applications2021(_Model):
    new_received: ApplicantRow = Field(default_factory=ApplicantRow)
    carried_over: ApplicantRow = Field(default_factory=ApplicantRow)
    results: Results2021 = Field(default_factory=Results2021)
    carried_forward: ApplicantRow = Field(default_factory=ApplicantRow)


class Applications2019(_Model):
    new_received: ApplicantRow = Field(default_factory=ApplicantRow)
    carried_over: ApplicantRow = Field(default_factory=ApplicantRow)
    results: Results2019 = Field(default_factory=Results2019)
    carried_forward: ApplicantRow = Field(default_factory=ApplicantRow)


# --- table 2: proactive disclosure --------------------------------------------------


class Documents2021(_Model):
    issued: Count = None
    repealed: Count = None
    in_force: Count = None


class ActiveDisclosure2021(_Model):
    regulations: Documents2021 = Field(default_factory=Documents2021)
    normative_documents: Documents2021 = Field(default_factory=Documents2021)
    administrative_licensing: Count = None
    administrative_punishment: Count = None
    administrative_coercion: Count = None
    administrative_fees: Amount = Field(default=None, description="本年收费金额（单位：万元）")


class Documents2019(_Model):
    newly_made: Count = None
    newly_published: Count = None
    total_published: Count = None


class Items2019(_Model):
    previous_year_items: Count = None
    change: Count = Field(default=None, description="本年增/减; may be negative")
    decisions: Count = None


class Fees2019(_Model):
    previous_year_items: Count = None
    change: Count = None


class Procurement2019(_Model):
    projects: Count = None
    total_amount: Amount = None


class ActiveDisclosure2019(_Model):
    regulations: Documents2019 = Field(default_factory=Documents2019)
    normative_documents: Documents2019 = Field(default_factory=Documents2019)
    administrative_licensing: Items2019 = Field(default_factory=Items2019)
    other_management_services: Items2019 = Field(default_factory=Items2019)
    administrative_punishment: Items2019 = Field(default_factory=Items2019)
    administrative_coercion: Items2019 = Field(default_factory=Items2019)
    administrative_fees: Fees2019 = Field(default_factory=Fees2019)
    government_procurement: Procurement2019 = Field(default_factory=Procurement2019)


# --- table 4: reviews and litigation ------------------------------------------------


class ReviewGroup(_Model):
    upheld: Count = None
    corrected: Count = None
    other: Count = None
    pending: Count = None
    total: Count = None


class ReviewsAndLitigation(_Model):
    administrative_review: ReviewGroup = Field(default_factory=ReviewGroup)
    litigation_direct: ReviewGroup = Field(default_factory=ReviewGroup)
    litigation_after_review: ReviewGroup = Field(default_factory=ReviewGroup)
