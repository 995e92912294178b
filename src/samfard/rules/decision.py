"""What the engine answers: a Decision, every part of it explained by cited reasons.

A Decision is data, not prose: the booking service stores it, an assessor reads its
reasons, a decision letter quotes them. Each Reason cites the rulebook file, the key path
inside it, the version's valid_from and the value's source tag, plus the facts it used, so a
person can check the rule against the file and the facts against the register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from samfard.money import Ore
from samfard.rules.facts import CompanionKind, Mode, Service
from samfard.rules.ledger import CeilingRule, LedgerState

if TYPE_CHECKING:
    from samfard.rules.loader import Rulebook
    from samfard.rules.schema import VersionModel


class Outcome(StrEnum):
    """automatic: book it; needs_assessor: a person decides (bedömning); refused: not paid."""

    AUTOMATIC = "automatic"
    NEEDS_ASSESSOR = "needs_assessor"
    REFUSED = "refused"


class Effect(StrEnum):
    INFO = "info"
    NEEDS_ASSESSOR = "needs_assessor"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Citation:
    """Where a rule lives: file, key path, version and the value's source tag."""

    file: str
    key: str
    valid_from: date
    source: str


def cited(said: str, file: str, key: str, valid_from: object) -> str:
    """A reason with the rule it rests on, as decisions and event logs write it (from a
    Reason, or from the dict a stored decision holds)."""
    return f"{said} [{file} {key}, from {valid_from}]"


def companion_fees(companions: Iterable[Mapping[str, Any]]) -> dict[int, Ore]:
    """The companions' fees per leg index, from a decision's companions (as stored): what
    the allowed companions (medresenärer) pay beside the traveller, outside the ceiling."""
    fees: dict[int, Ore] = {}
    for companion in companions:
        if companion.get("allowed"):
            for leg_index, fee in enumerate(companion.get("fee_ore_per_leg") or ()):
                fees[leg_index] = fees.get(leg_index, 0) + int(fee)
    return fees


@dataclass(frozen=True)
class Reason:
    """One step of the assessment: a stable code, a sentence, the rule and the facts."""

    code: str
    text: str
    effect: Effect
    citation: Citation | None
    facts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LegFee:
    """The traveller's fee for one single trip, before and after the fee ceiling."""

    leg_index: int
    direction: str
    mode: Mode
    list_fee_ore: Ore
    fee_ore: Ore
    counts_toward_ceiling: bool
    reimbursement_ore: Ore = 0


@dataclass(frozen=True)
class CompanionDecision:
    """Whether a companion may come, and the companion's fee per leg."""

    index: int
    kind: CompanionKind
    allowed: bool
    fee_ore_per_leg: tuple[Ore, ...]


@dataclass(frozen=True)
class TimeTolerance:
    """What the planner may do with the time: pickup window and extra ride time.

    `waiting_included`: the extra ride time also covers waiting at the destination before
    an appointment and for a pickup later than asked (sjukresor: "plus waiting")."""

    pickup_before_min: int
    pickup_after_min: int
    max_extra_ride_min: int
    waiting_included: bool = False


@dataclass(frozen=True)
class CostObject:
    """Cost centre (kostnadsställe) and object (objekt) a trip is booked to."""

    cost_centre: str
    cost_object: str


@dataclass(frozen=True)
class RulebookRef:
    file: str
    valid_from: date


@dataclass(frozen=True)
class Decision:
    """Decision (beslut/bedömning) for one trip under one principal's rulebook."""

    service: Service
    principal: str
    outcome: Outcome
    allowed_modes: tuple[Mode, ...]
    chosen_mode: Mode | None
    legs: tuple[LegFee, ...]
    companions: tuple[CompanionDecision, ...]
    tolerance: TimeTolerance | None
    accommodation_offered: bool
    cost_object: CostObject | None
    reasons: tuple[Reason, ...]
    rulebooks: tuple[RulebookRef, ...]
    ceiling: CeilingRule | None = None
    ledger_after: LedgerState | None = None
    conditions: tuple[str, ...] = ()
    input_summary: str = ""
    input_hash: str = ""

    @property
    def eligible(self) -> bool:
        return self.outcome is not Outcome.REFUSED

    @property
    def fee_ore(self) -> Ore:
        return sum(leg.fee_ore for leg in self.legs)

    @property
    def reimbursement_ore(self) -> Ore:
        return sum(leg.reimbursement_ore for leg in self.legs)

    def why(self, effect: Effect) -> tuple[Reason, ...]:
        """The reasons with a given effect, e.g. why an assessor is needed."""
        return tuple(r for r in self.reasons if r.effect is effect)

    def reason(self, code: str) -> Reason:
        """The first reason with `code`; KeyError names the codes present."""
        for r in self.reasons:
            if r.code == code:
                return r
        raise KeyError(f"no reason {code!r}; have {[r.code for r in self.reasons]}")


@dataclass
class Draft:
    """Collects reasons while a service module assesses; `finish` freezes a Decision."""

    book: Rulebook
    index: int
    version: VersionModel
    principal: str
    reasons: list[Reason] = field(default_factory=list)
    conditions: set[str] = field(default_factory=set)

    def cite(self, key: str, source: str) -> Citation:
        path = f"versions[{self.index}].{key}" if key else f"versions[{self.index}]"
        return Citation(
            file=self.book.file, key=path, valid_from=self.version.valid_from, source=source
        )

    def add(
        self,
        code: str,
        text: str,
        *,
        key: str,
        source: str,
        effect: Effect = Effect.INFO,
        **facts: object,
    ) -> None:
        self.reasons.append(
            Reason(
                code=code,
                text=text,
                effect=effect,
                citation=self.cite(key, source),
                facts=tuple((name, str(value)) for name, value in sorted(facts.items())),
            )
        )

    def refuse(self, code: str, text: str, *, key: str, source: str, **facts: object) -> None:
        self.add(code, text, key=key, source=source, effect=Effect.REFUSE, **facts)

    def escalate(self, code: str, text: str, *, key: str, source: str, **facts: object) -> None:
        self.add(code, text, key=key, source=source, effect=Effect.NEEDS_ASSESSOR, **facts)

    @property
    def refused(self) -> bool:
        return any(r.effect is Effect.REFUSE for r in self.reasons)

    def outcome(self) -> Outcome:
        effects = {r.effect for r in self.reasons}
        if Effect.REFUSE in effects:
            return Outcome.REFUSED
        if Effect.NEEDS_ASSESSOR in effects:
            return Outcome.NEEDS_ASSESSOR
        return Outcome.AUTOMATIC

    def finish(
        self,
        *,
        allowed_modes: tuple[Mode, ...],
        chosen_mode: Mode | None,
        legs: tuple[LegFee, ...] = (),
        companions: tuple[CompanionDecision, ...] = (),
        tolerance: TimeTolerance | None = None,
        accommodation_offered: bool = False,
        cost_object: CostObject | None = None,
        ceiling: CeilingRule | None = None,
        ledger_after: LedgerState | None = None,
    ) -> Decision:
        return Decision(
            service=self.book.service,
            principal=self.principal,
            outcome=self.outcome(),
            allowed_modes=allowed_modes,
            chosen_mode=chosen_mode,
            legs=legs,
            companions=companions,
            tolerance=tolerance,
            accommodation_offered=accommodation_offered,
            cost_object=cost_object,
            reasons=tuple(self.reasons),
            rulebooks=(RulebookRef(self.book.file, self.version.valid_from),),
            ceiling=ceiling,
            ledger_after=ledger_after,
            conditions=tuple(sorted(self.conditions)),
        )
