"""The schema of program.yml, course.yml and exam.yml, as pydantic models (validated, frozen)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
Window = Literal["month", "quarter", "year", "all"]


class Model(BaseModel):
    """Strict by default: unknown keys are errors, records are immutable."""

    # strict: "70" is not 70 and "yes" is not true -- an author's typo is refused, never coerced.
    # allow_inf_nan off: `answer: .nan` would be unanswerable and `tolerance: .inf` make every answer right.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Text(Model):
    """A text partners read, in English and (optionally) Simplified Chinese."""

    en: Annotated[str, Field(min_length=1)]
    zh: str | None = None

    def get(self, lang: str) -> str:
        """The text in `lang`, English when there is no translation."""
        return (self.zh or self.en) if lang == "zh" else self.en


# --- program.yml ---------------------------------------------------------------------------------


class ProgramInfo(Model):
    name: Text
    vendor: str
    timezone: str
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    app_url: str
    site_url: str
    linkedin_organization_id: int | None = None  # "Add to LinkedIn" names the vendor's LinkedIn page by it


class Product(Model):
    id: Slug
    name: Text
    summary: Text


class JobRole(Model):
    id: Slug
    name: Text


class Criterion(Model):
    id: Slug
    name: Text
    weight: Annotated[int, Field(ge=1, le=100)]
    guide: Text
    # The application's question for this criterion and the evidence field under it (the guide when absent).
    question: Text | None = None
    evidence: Text | None = None


OnboardingStep = Literal["agreement", "profile", "first-certification", "first-deal"]


class Onboarding(Model):
    """A new partner's checklist: the steps, in order, and the course its first certified person takes."""

    steps: Annotated[list[OnboardingStep], Field(min_length=1)] = ["agreement", "profile", "first-certification"]
    entry_course: Slug | None = None


class PartnerType(Model):
    id: Slug
    name: Text
    summary: Text
    screening: Annotated[list[Criterion], Field(min_length=1)]
    # An application passes screening when its weighted score reaches this share of the best (0–100 %).
    pass_threshold: Annotated[int, Field(ge=0, le=100)] = 60
    onboarding: Onboarding = Onboarding()


class Region(Model):
    """A region applicants pick; new partners there are assigned this channel manager (by email)."""

    id: Annotated[str, Field(min_length=1)]
    name: Text
    channel_manager: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class Recruitment(Model):
    """How companies join: the regions and their channel managers, the industries an applicant may pick."""

    regions: Annotated[list[Region], Field(min_length=1)]
    industries: Annotated[list[Text], Field(min_length=1)]

    def region(self, region_id: str) -> Region | None:
        """The region with this id (a code such as "emea"), or written as its id or English name in any case
        ("EMEA", "Greater China"); None when unknown."""
        wanted = region_id.strip().casefold()
        return next((r for r in self.regions if wanted in (r.id.casefold(), r.name.en.casefold())), None)


class CertRequirement(Model):
    courses: Annotated[list[Slug], Field(min_length=1)]
    people: Annotated[int, Field(ge=1)]
    partner_types: list[Slug] = []  # empty: every partner type

    def applies_to(self, partner_type: str) -> bool:
        """True when a company of this partner type must meet the requirement."""
        return not self.partner_types or partner_type in self.partner_types


class Marketplace(Model):
    """What an ISV or technology partner may prove instead of a tier's revenue and customers."""

    listings: Annotated[int, Field(ge=0)] = 0  # live listings in the Quillstack Exchange
    installs: Annotated[int, Field(ge=0)] = 0  # active installs of those listings
    joint_customers: Annotated[int, Field(ge=0)] = 0  # customers running Quillstack with the partner's product


class Requirements(Model):
    certifications: list[CertRequirement] = []
    revenue_12m: Annotated[float, Field(ge=0)] = 0
    customers: Annotated[int, Field(ge=0)] = 0
    csat: Annotated[float, Field(ge=1, le=5)] | None = None
    # For tier_credit.marketplace_partner_types: met instead of revenue_12m and customers (either suffices).
    marketplace: Marketplace | None = None


class Benefits(Model):
    discount_pct: Annotated[float, Field(ge=0, le=100)]
    lead_priority: Literal["none", "standard", "high", "first"]
    exam_vouchers_per_quarter: Annotated[int, Field(ge=0)] = 0  # each pays one certification exam's fee
    perks: list[Text] = []  # this tier's own perks; a tier also keeps every perk of the tiers below it


class Tier(Model):
    id: Slug
    name: Text
    requirements: Requirements
    benefits: Benefits


class RevenueCredit(Model):
    """A kind of revenue that counts towards revenue_12m for some partner types, at a share of its value."""

    partner_types: list[Slug] = []
    credit_pct: Annotated[int, Field(ge=0, le=100)] = 0


class TierCredit(Model):
    """What counts towards a tier besides resold and referred revenue (which always counts in full)."""

    implemented_revenue: RevenueCredit = RevenueCredit()  # customers' subscriptions the partner implemented
    influenced_revenue: RevenueCredit = RevenueCredit()  # subscriptions the partner's advice led to
    marketplace_partner_types: list[Slug] = []  # may meet a tier's `marketplace` instead of revenue and customers


Level = Literal["foundation", "professional", "expert"]


class ExamFees(Model):
    """What one attempt at a certification exam costs, by course level; a tier's vouchers pay it."""

    fee_usd: dict[Level, Annotated[int, Field(ge=0)]] = {"foundation": 0, "professional": 0, "expert": 0}
    voucher_validity_days: Annotated[int, Field(ge=1)] = 90


class TierReview(Model):
    period_months: Annotated[int, Field(ge=1, le=12)]
    demotion_grace_days: Annotated[int, Field(ge=0)]
    renewal_window_days: Annotated[int, Field(ge=1)] = 60


class Cap(Model):
    count: Annotated[int, Field(ge=1)]
    window: Literal["month", "quarter", "year"]


PointsEvent = Literal[
    "course_first_pass",
    "certification_earned",
    "perfect_score",
    "on_time_renewal",
    "deal_won",
    "event_attended",
    "answer_accepted",
    "question_upvoted",
]


class PointsRule(Model):
    id: PointsEvent
    name: Text
    points: Annotated[int, Field(ge=0)]  # a deduction is a reversal by a channel manager, never a rule
    cap: Cap | None = None


class Adjustments(Model):
    """Limits on a channel manager's manual adjustments: at most `max_points` either way, and a
    confirmation above `confirm_above`."""

    max_points: Annotated[int, Field(ge=1)] = 5000
    confirm_above: Annotated[int, Field(ge=0)] = 1000

    @model_validator(mode="after")
    def _confirm_within_limit(self) -> Adjustments:
        if self.confirm_above > self.max_points:
            raise ValueError("confirm_above must not be more than max_points")
        return self


class Points(Model):
    rules: list[PointsRule]
    adjustments: Adjustments = Adjustments()

    def rule(self, rule_id: str) -> PointsRule | None:
        """The rule with this id, or None when the program does not award it."""
        return next((r for r in self.rules if r.id == rule_id), None)


class Leaderboards(Model):
    windows: Annotated[list[Window], Field(min_length=1)]
    top_n: Annotated[int, Field(ge=1, le=1000)] = 50


AwardMeasure = Literal["won_value", "partner_score", "points_gain"]


class Reward(Model):
    """What a winner gets: points on the ledger, an MDF bonus (program currency, whole units), a badge."""

    points: Annotated[int, Field(ge=0)] = 0
    mdf: Annotated[int, Field(ge=0)] = 0
    badge: Slug | None = None


class ScoreWeights(Model):
    """Best partner: shares (%) of won revenue, certifications gained and CSAT, each against the best."""

    won_revenue: Annotated[int, Field(ge=0, le=100)]
    certifications: Annotated[int, Field(ge=0, le=100)]
    csat: Annotated[int, Field(ge=0, le=100)]

    @model_validator(mode="after")
    def _hundred(self) -> ScoreWeights:
        if self.won_revenue + self.certifications + self.csat != 100:
            raise ValueError("the weights must add up to 100")
        return self


class AwardProgram(Model):
    """One award of a closed quarter: who ranks first on a measure wins it."""

    id: Slug
    name: Text
    subject: Literal["person", "company"]
    measure: AwardMeasure
    weights: ScoreWeights | None = None
    reward: Reward

    @model_validator(mode="after")
    def _measure_fits(self) -> AwardProgram:
        if self.measure == "partner_score" and (self.subject != "company" or self.weights is None):
            raise ValueError("measure partner_score is for a company and needs weights")
        if self.subject == "company" and self.reward.points:
            raise ValueError("points go to people: a company's reward is an MDF bonus or a badge")
        return self


class LeaderboardReward(Model):
    """The top places of a closed quarter's people or company board get a reward."""

    id: Slug
    name: Text
    board: Literal["people", "companies"]
    top: Annotated[int, Field(ge=1, le=100)]
    reward: Reward

    @model_validator(mode="after")
    def _points_to_people(self) -> LeaderboardReward:
        if self.board == "companies" and self.reward.points:
            raise ValueError("points go to people: a company's reward is an MDF bonus or a badge")
        return self


Rate = Annotated[str, Field(pattern=r"^\d+(\.\d+)?$")]


class Awards(Model):
    """Award programs and leaderboard rewards, given when a quarter is closed (`partnerhub close-period`)."""

    programs: list[AwardProgram] = []
    leaderboard_rewards: list[LeaderboardReward] = []
    # Won deals in another currency count at these rates to the program currency (decimal text, exact).
    exchange_rates: dict[Annotated[str, Field(pattern=r"^[A-Z]{3}$")], Rate] = {}

    @model_validator(mode="after")
    def _unique_ids(self) -> Awards:
        ids = [p.id for p in self.programs] + [r.id for r in self.leaderboard_rewards]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"award ids must be unique: {', '.join(twice)}")
        return self


BACKOFF_SECONDS = [60, 300, 1800, 7200, 43200]  # a minute, five, half an hour, two hours, then twice a day


class Notifications(Model):
    """When expiry reminders go out, and how long the dispatcher waits before retrying a failed delivery."""

    expiry_reminder_days: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1)] = [60, 30, 7, 0]
    retry_backoff_seconds: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)] = BACKOFF_SECONDS


class Reason(Model):
    id: Slug
    name: Text


class Deals(Model):
    """Deal registration: protection by tier, the one extension, conflict matching, reason codes."""

    protection_days: dict[Slug, Annotated[int, Field(ge=1, le=365)]]
    extension_days: Annotated[int, Field(ge=1, le=365)]
    name_match_threshold: Annotated[int, Field(ge=50, le=100)]
    too_many_matches: Annotated[int, Field(ge=1)]
    free_mail_domains: list[Annotated[str, Field(pattern=r"^[a-z0-9.-]+\.[a-z]+$")]]
    legal_suffixes: list[Annotated[str, Field(min_length=1)]]
    reasons: Annotated[list[Reason], Field(min_length=1)]

    def reason(self, reason_id: str) -> Reason | None:
        """The reason code with this id, None when unknown."""
        return next((r for r in self.reasons if r.id == reason_id), None)


Percent = Annotated[float, Field(ge=0, le=100)]
DealType = Literal["resale", "referral"]


class Commissions(Model):
    """Commission rates (percent of a won deal's final amount) by deal type and tier; payout timing."""

    rates: dict[DealType, dict[Slug, Percent]] = {}
    payout_days: Annotated[int, Field(ge=0, le=365)] = 45

    def rate(self, deal_type: str, tier_id: str) -> float:
        """The percentage for a deal type at a tier (0 when the program names none)."""
        by_tier = next((rates for kind, rates in self.rates.items() if kind == deal_type), {})
        return by_tier.get(tier_id, 0)


class Allocation(Model):
    """A tier's quarterly MDF: a fixed amount, or a percentage of last quarter's won revenue up to a cap."""

    fixed: Annotated[int, Field(ge=0)] | None = None
    percent: Annotated[float, Field(gt=0, le=100)] | None = None
    cap: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> Allocation:
        if (self.fixed is None) == (self.percent is None):
            raise ValueError("give either fixed (an amount) or percent (of last quarter's won revenue) with a cap")
        if self.percent is not None and self.cap is None:
            raise ValueError("a percent allocation needs a cap")
        return self


class Funds(Model):
    """Market development funds: allocation by tier, co-funding, expiry, reminders, claims, activities."""

    allocation: dict[Slug, Allocation] = {}
    max_vendor_share_pct: Annotated[int, Field(ge=1, le=100)] = 50
    expire_after_days: Annotated[int, Field(ge=0, le=365)] = 30
    reminder_days: list[Annotated[int, Field(ge=1)]] = [21, 7]
    claim_within_days: Annotated[int, Field(ge=1, le=365)] = 60
    proof_max_mb: Annotated[int, Field(ge=1, le=100)] = 10
    activities: list[Reason] = []
    proofs: list[Reason] = []

    def activity(self, activity_id: str) -> Reason | None:
        """The activity type with this id, None when unknown."""
        return next((a for a in self.activities if a.id == activity_id), None)

    def proof(self, proof_id: str) -> Reason | None:
        """The proof-of-performance type with this id, None when unknown."""
        return next((p for p in self.proofs if p.id == proof_id), None)


class Program(Model):
    """program.yml: the one source of truth for types, tiers, benefits and points."""

    program: ProgramInfo
    products: Annotated[list[Product], Field(min_length=1)]
    job_roles: Annotated[list[JobRole], Field(min_length=1)]
    partner_types: Annotated[list[PartnerType], Field(min_length=1)]
    recruitment: Recruitment | None = None
    tiers: Annotated[list[Tier], Field(min_length=1)]
    tier_review: TierReview
    points: Points
    leaderboards: Leaderboards
    awards: Awards = Awards()
    notifications: Notifications = Notifications()
    deals: Deals
    commissions: Commissions = Commissions()
    funds: Funds = Funds()
    tier_credit: TierCredit = TierCredit()
    exams: ExamFees = ExamFees()

    @model_validator(mode="after")
    def _protection_for_every_tier(self) -> Program:
        tiers = [t.id for t in self.tiers]
        if sorted(self.deals.protection_days) != sorted(tiers):
            raise ValueError(f"deals.protection_days must name every tier exactly: {', '.join(tiers)}")
        return self

    @model_validator(mode="after")
    def _money_rules_name_known_tiers(self) -> Program:
        tiers = {t.id for t in self.tiers}
        named = [*self.funds.allocation] + [tier for rates in self.commissions.rates.values() for tier in rates]
        unknown = sorted({tier for tier in named if tier not in tiers})
        if unknown:
            raise ValueError(f"commissions and funds name unknown tiers: {', '.join(unknown)}")
        return self

    def tier(self, tier_id: str) -> Tier:
        """The tier with this id (KeyError when unknown)."""
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def tier_rank(self, tier_id: str) -> int:
        """0 for the lowest tier, upwards."""
        return [t.id for t in self.tiers].index(tier_id)

    def partner_type(self, type_id: str) -> PartnerType:
        """The partner type with this id (KeyError when unknown)."""
        for pt in self.partner_types:
            if pt.id == type_id:
                return pt
        raise KeyError(type_id)


# --- course.yml ----------------------------------------------------------------------------------


class Audience(Model):
    partner_types: Annotated[list[Slug], Field(min_length=1)]
    roles: Annotated[list[Slug], Field(min_length=1)]


class Certification(Model):
    name: Text
    pass_mark: Annotated[int, Field(ge=1, le=100)]
    validity_months: Annotated[int, Field(ge=1, le=120)]


class CourseFile(Model):
    id: Slug
    version: Annotated[str, Field(pattern=r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")]  # semver: no leading 0
    title: Text
    summary: Text
    product: Slug
    level: Level
    duration_minutes: Annotated[int, Field(ge=1)]
    audience: Audience
    prerequisites: list[Slug] = []
    lessons: Annotated[list[Slug], Field(min_length=1)]
    certification: Certification | None = None
    practice_for: Slug | None = None  # a practice course: the certifying course whose exam it rehearses


# --- exam.yml ------------------------------------------------------------------------------------


class Option(Model):
    text: Text
    correct: bool = False


class ItemBase(Model):
    id: Slug
    version: Annotated[int, Field(ge=1)] = 1
    domain: Slug
    prompt: Text
    explanation: Text


class SingleItem(ItemBase):
    type: Literal["single"]
    options: Annotated[list[Option], Field(min_length=2)]


class MultipleItem(ItemBase):
    type: Literal["multiple"]
    options: Annotated[list[Option], Field(min_length=2)]


class TrueFalseItem(ItemBase):
    type: Literal["true_false"]
    answer: bool


class ShortTextItem(ItemBase):
    type: Literal["short_text"]
    answers: Annotated[list[str], Field(min_length=1)]


class NumericItem(ItemBase):
    type: Literal["numeric"]
    answer: float
    tolerance: Annotated[float, Field(ge=0)]  # required: an exact float comparison is rarely what is meant


Item = Annotated[SingleItem | MultipleItem | TrueFalseItem | ShortTextItem | NumericItem, Field(discriminator="type")]
ITEM_TYPES = ("single", "multiple", "true_false", "short_text", "numeric")


class BlueprintEntry(Model):
    domain: Slug
    title: Text
    lessons: list[Slug] = []
    draw: Annotated[int, Field(ge=1)]
    objectives: list[Text] = []  # what a candidate must be able to do; published in the exam guide


class AttemptPolicy(Model):
    max_attempts: Annotated[int, Field(ge=1)]
    window_days: Annotated[int, Field(ge=1)]
    cooldown_hours: Annotated[float, Field(ge=0)] = 0


class Exam(Model):
    """exam.yml: the item bank, the blueprint and the attempt policy. Never published."""

    practice: bool = False
    time_limit_minutes: Annotated[int, Field(ge=1)]
    multiple_choice_scoring: Literal["all_or_nothing", "partial"] = "all_or_nothing"
    attempts: AttemptPolicy
    blueprint: Annotated[list[BlueprintEntry], Field(min_length=1)]
    items: Annotated[list[Item], Field(min_length=1)]

    def item(self, item_id: str) -> SingleItem | MultipleItem | TrueFalseItem | ShortTextItem | NumericItem:
        """The bank item with this id (KeyError when unknown)."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def items_to_draw(self) -> int:
        """How many items one attempt draws."""
        return sum(b.draw for b in self.blueprint)
