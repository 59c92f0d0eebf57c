"""The scenario format (version 1) as frozen pydantic models.

These models are the single registry of the format: validation, the JSON Schema
(`python main.py schema`) and `docs/scenario-reference.md` are all generated from
them, so every field's description is written here and nowhere else.

Identifiers are lower-case snake case. Variable ids may be dotted
(`us.credibility`); the engine also generates variables from compact
declarations: `opinion.<group>.<issue>`, `relation.<a>.<b>` and `lever.<lever>`.
"""

from __future__ import annotations

import keyword
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import Strict as StrictType

FORMAT_VERSION = 1

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
VARIABLE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$"
YEAR_MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
LANGUAGE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"

_ID_RE = re.compile(ID_PATTERN)


def _not_keyword(value: str) -> str:
    for part in value.split("."):
        if keyword.iskeyword(part) or part in {"true", "false", "date", "turn"}:
            raise ValueError(f"'{part}' is a reserved word and cannot be used as an id")
    return value


Id = Annotated[
    str,
    Field(pattern=ID_PATTERN, max_length=64, description="Lower-case id: letters, digits, '_'."),
    AfterValidator(_not_keyword),
]
VariableId = Annotated[
    str,
    Field(
        pattern=VARIABLE_ID_PATTERN,
        max_length=128,
        description="A variable id, possibly dotted: `tension`, `opinion.okinawa.bases`.",
    ),
    AfterValidator(_not_keyword),
]
YearMonth = Annotated[
    str,
    Field(pattern=YEAR_MONTH_PATTERN, description="A month, written YYYY-MM (quote it in YAML: \"1960-05\")."),
]
Color = Annotated[str, Field(pattern=COLOR_PATTERN, description="A colour, written #rrggbb.")]
LocalizedText = Annotated[
    str | dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], str],
    Field(
        description=(
            "Text shown to players: a plain string (English), or a mapping of language "
            "codes to strings, e.g. `{en: Okinawa, ja: 沖縄}`; `en` is required."
        )
    ),
]
MAX_TURNS = 400
MAX_OPINION_VARIABLES = 10_000
"""Opinion groups × issues: each pair is a variable, so two short lists could otherwise ask for millions."""
MAX_MAGNITUDE = 1e12
"""No number in a scenario may be larger than this (in absolute value): ranges, weights and points
this large have no meaning, and sums and products of them must stay far from the float maximum."""


def _within_limit(value: float) -> float:
    if abs(value) > MAX_MAGNITUDE:
        raise ValueError(f"{value:g} is too large: numbers in a scenario lie within ±{MAX_MAGNITUDE:g}")
    return value


def _expression_number_within_limit(value: str | float | int | bool) -> str | float | int | bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        _within_limit(value)
    return value


Number = Annotated[float, StrictType(), AfterValidator(_within_limit)]
"""A number written as a number: never text (`"12"` is refused, as are `"nan"` and `"inf"`), never a boolean."""
Count = Annotated[int, StrictType()]
"""A whole number written as one: not `true`, not `"12"`, not `12.0`."""
Expression = Annotated[
    str | float | int | bool,
    AfterValidator(_expression_number_within_limit),
    Field(
        description=(
            "An expression over variable ids (see the expression language), or a plain number. "
            "Example: `tension > 60 and opinion.okinawa.bases < 30`."
        )
    ),
]
Range = Annotated[
    tuple[Number, Number],
    Field(description="`[min, max]`: values are clamped to this range every turn."),
]


class Strict(BaseModel):
    """Base of every format model: unknown keys are errors, instances are immutable."""

    # allow_inf_nan=False: the YAML reader refuses `.nan`; this also refuses "nan" and "inf" written as text.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


def english(text: LocalizedText) -> str:
    """The English form of a localised text."""
    if isinstance(text, str):
        return text
    return text.get("en", next(iter(text.values()), ""))


def localized(text: LocalizedText, language: str) -> str:
    """The text in `language`, falling back to English."""
    if isinstance(text, str):
        return text
    return text.get(language) or english(text)


def _check_localized(value: LocalizedText | None) -> None:
    if isinstance(value, dict) and "en" not in value:
        raise ValueError("localised text needs an 'en' entry (English is the fallback)")


def _non_negative_weight(value: Expression) -> Expression:
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise ValueError(f"weight {value:g} is negative: a weight is 0 or more")
    return value


def _check_range(lo: float, hi: float) -> None:
    if not lo < hi:
        raise ValueError(f"range [{lo}, {hi}] is empty: the first number must be smaller")


# --- sources and history -------------------------------------------------------------


class Source(Strict):
    """A published source for a figure, a date or a history note."""

    id: Id = Field(description="Id used to cite this source from `source:` and `sources:` fields.")
    title: str = Field(description="Title of the document or page.")
    url: str | None = Field(None, description="Where to read it (https://...).")
    publisher: str | None = Field(None, description="Author or publisher.")
    date: str | None = Field(None, description="Publication date, free form (e.g. 1960-01-19).")
    kind: Literal["primary", "scholarly", "press", "reference"] | None = Field(
        None,
        description=(
            "primary: treaty texts, official records and statements; scholarly: research and document "
            "databases; press: newspapers and news agencies; reference: encyclopedias and museums."
        ),
    )


class Citations(Strict):
    """A block that cites sources (the ids of entries in the file's top-level `sources:`)."""

    sources: list[Id] = Field(
        default_factory=list,
        description="Ids of the sources backing the facts and figures in this block's texts.",
    )


class TextBlock(Citations):
    """A block of player-facing text: it cites the sources of its figures, or says they are the game's own."""

    calibration: bool = Field(
        False,
        description=(
            "The figures in this block's texts are game calibration (the model's own scales and weights), "
            "not real-world figures, so they need no source."
        ),
    )


class History(Citations):
    """What really happened: shown after a decision and in the debrief."""

    text: LocalizedText = Field(description="What really happened, in your own words.")
    choice: Id | None = Field(
        None, description="The id of the choice actually made; it forms the scenario's historical path."
    )
    sources: list[Id] = Field(default_factory=list, description="Ids of the sources backing this note.")


class ObligationHistory(Citations):
    """What really happened when an obligation was engaged (or that it never was): shown in the debrief."""

    text: LocalizedText = Field(description="What really happened, in your own words.")
    response: Literal["honour", "evade"] | None = Field(
        None, description="How the obligation was really answered; leave it out when it was never engaged."
    )
    sources: list[Id] = Field(default_factory=list, description="Ids of the sources backing this note.")


# --- variables and generated variables -------------------------------------------------


class Dynamics(Strict):
    """How a quantity moves on its own each turn."""

    baseline: Number | None = Field(
        None, description="Where the value drifts back to; defaults to the initial value."
    )
    drift: Number = Field(
        0.0, ge=0.0, le=1.0, description="Fraction of the gap to the baseline closed each turn (0 to 1)."
    )
    noise: Number = Field(0.0, ge=0.0, description="Standard deviation of a random shock added each turn.")


class Variable(Dynamics, TextBlock):
    """A quantity of the world, e.g. regional tension or U.S. credibility."""

    label: LocalizedText = Field(description="Short name shown in the UI.")
    description: LocalizedText | None = Field(None, description="One or two sentences for tooltips.")
    unit: str | None = Field(None, description="Unit shown after the value (e.g. '%', '¥bn').")
    range: Range = (0.0, 100.0)
    initial: Number = Field(description="Value at the start of the scenario.")
    derived: str | None = Field(
        None,
        description=(
            "An expression recomputed every turn after influences; the variable then has no "
            "dynamics of its own (e.g. approval as a weighted mean of group opinions)."
        ),
    )
    key: bool = Field(False, description="Shown on the dashboard and in summaries of simulation runs.")
    source: Id | None = Field(None, description="Source of the initial value, when it is a real figure.")

    @field_validator("label", "description")
    @classmethod
    def _english_required(cls, value: LocalizedText | None) -> LocalizedText | None:
        _check_localized(value)
        return value

    @model_validator(mode="after")
    def _range_ok(self) -> Variable:
        _check_range(*self.range)
        return self


class Issue(Strict):
    """An issue that every opinion group has an opinion on (0 = hostile, 100 = supportive)."""

    label: LocalizedText = Field(description="Short name of the issue, e.g. 'U.S. bases'.")
    description: LocalizedText | None = Field(None, description="What support for it means.")


class OpinionGroup(Dynamics):
    """A public-opinion segment; it generates one variable `opinion.<group>.<issue>` per issue."""

    label: LocalizedText = Field(description="Name of the group, e.g. 'Okinawa residents'.")
    actor: Id = Field(description="The actor this group belongs to.")
    weight: Number = Field(
        gt=0.0, description="Population weight used by `weighted_mean` and the dashboard."
    )
    initial: dict[Id, Number] = Field(
        description="Starting opinion (0–100) on each issue; issues left out start at 50."
    )
    source: Id | None = Field(None, description="Source of the initial figures (e.g. a poll).")


class Opinion(Strict):
    """Public-opinion groups and the issues they care about."""

    issues: dict[Id, Issue] = Field(default_factory=dict, description="The issues, by id.")
    groups: dict[Id, OpinionGroup] = Field(default_factory=dict, description="The groups, by id.")

    @model_validator(mode="after")
    def _not_amplified(self) -> Opinion:
        generated = len(self.groups) * len(self.issues)
        if generated > MAX_OPINION_VARIABLES:
            raise ValueError(
                f"{len(self.groups):,} groups × {len(self.issues):,} issues would generate {generated:,} opinion "
                f"variables; the limit is {MAX_OPINION_VARIABLES:,}"
            )
        return self


class Relation(Dynamics):
    """How two actors regard each other (-100 hostile, 0 neutral, 100 close); generates `relation.<a>.<b>`."""

    between: tuple[Id, Id] = Field(description="The two actors, e.g. `[japan, china]`.")
    initial: Number = Field(ge=-100, le=100, description="Starting value.")
    source: Id | None = Field(None, description="Source of the initial value.")


class Actor(TextBlock):
    """A state or other actor shown on the map."""

    name: LocalizedText = Field(description="Name shown in the UI.")
    iso: list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]] = Field(
        default_factory=list, description="ISO 3166-1 alpha-3 codes of the countries it colours on the map."
    )
    color: Color = Field("#888888", description="Colour on the map and in charts.")
    description: LocalizedText | None = Field(None, description="One paragraph shown in the actor's panel.")


# --- causal web: influences and effects -------------------------------------------------


class Influence(TextBlock):
    """A standing causal link: every turn `to += weight * shape(from - pivot)`."""

    id: Id | None = Field(None, description="Optional id; the causal ledger names the influence by it.")
    label: LocalizedText | None = Field(None, description="Explanation shown in 'why did this change?'.")
    source: VariableId = Field(alias="from", description="The variable read.")
    target: VariableId = Field(alias="to", description="The variable moved.")
    weight: Number = Field(description="Strength of the link per turn.")
    pivot: Number = Field(0.0, description="The source value at which the link has no effect.")
    shape: Literal["linear", "sqrt", "square", "threshold", "sign"] = Field(
        "linear",
        description=(
            "linear: x; sqrt: sign(x)·√|x|; square: sign(x)·x²; threshold: 1 when x > 0 else 0; "
            "sign: -1, 0 or 1 — where x = source − pivot."
        ),
    )
    lag: Count = Field(0, ge=0, le=12, description="Read the source as it was this many turns ago.")
    inertia: Count = Field(
        1, ge=1, le=12, description="Average the source over this many turns (1 = the current value only)."
    )


class Effect(Strict):
    """A one-shot or timed impulse on a variable, from a choice, an event or an obligation."""

    target: VariableId = Field(description="The variable changed.")
    amount: Expression = Field(description="Change per turn while active (a number or an expression).")
    delay: Count = Field(0, ge=0, le=40, description="Turns before the effect starts (0 = this turn).")
    duration: Count = Field(1, ge=1, le=40, description="Number of turns the effect lasts.")
    decay: Number = Field(
        0.0, ge=0.0, lt=1.0, description="Fraction by which the amount shrinks each turn after the first."
    )


class Choice(TextBlock):
    """One option of a decision."""

    id: Id = Field(description="Id, unique within the event.")
    label: LocalizedText = Field(description="Button text.")
    text: LocalizedText | None = Field(None, description="Longer explanation shown with the choice.")
    available: Expression | None = Field(None, description="Condition for the choice to be offered.")
    effects: list[Effect] = Field(default_factory=list, description="What the choice does.")
    triggers: list[Id] = Field(
        default_factory=list, description="Events made pending right away (follow-ups), by id."
    )
    weight: Expression = Field(
        1.0, description="How much an AI-controlled role likes this choice (an expression, ≥ 0)."
    )
    default: bool = Field(False, description="Taken when a decision times out; at most one per event.")

    @field_validator("weight")
    @classmethod
    def _not_negative(cls, value: Expression) -> Expression:
        return _non_negative_weight(value)


class Event(TextBlock):
    """Something that happens and asks its owner role to decide."""

    id: Id = Field(description="Unique event id.")
    owner: Id = Field(description="The role that decides.")
    title: LocalizedText = Field(description="Headline.")
    text: LocalizedText = Field(description="What happens, in a paragraph.")
    when: Expression | None = Field(
        None,
        description=(
            "Condition checked each turn for the event to fire. An event with neither `when` nor `date` "
            "fires only when a choice `triggers` it (a follow-up); `when: true` makes it possible every turn."
        ),
    )
    date: YearMonth | None = Field(None, description="Fires on this month (in addition to `when`).")
    chance: Expression = Field(1.0, description="Probability per turn once the conditions hold (0–1).")
    cooldown: Count = Field(0, ge=0, le=MAX_TURNS, description="Turns before the event can fire again.")
    once: bool = Field(True, description="Fires at most once per game.")
    hypothetical: bool = Field(False, description="Not historical: marked as hypothetical in the UI.")
    effects: list[Effect] = Field(
        default_factory=list, description="Effects applied when the event fires, before any choice."
    )
    choices: list[Choice] = Field(min_length=1, description="The options; at least one.")
    history: History | None = Field(None, description="What really happened.")

    @field_validator("chance")
    @classmethod
    def _probability(cls, value: Expression) -> Expression:
        if isinstance(value, int | float) and not isinstance(value, bool) and not 0 <= value <= 1:
            raise ValueError(f"chance {value:g} is not a probability: it must lie between 0 and 1")
        return value

    @model_validator(mode="after")
    def _defaults(self) -> Event:
        defaults = [c.id for c in self.choices if c.default]
        if len(defaults) > 1:
            raise ValueError(f"at most one choice may be the default; found {', '.join(defaults)}")
        return self


# --- treaties and obligations ------------------------------------------------------------


class Response(TextBlock):
    """One way of answering an obligation's call."""

    label: LocalizedText = Field(description="Button text.")
    text: LocalizedText | None = Field(None, description="What this response means.")
    effects: list[Effect] = Field(default_factory=list, description="Its consequences.")
    weight: Expression = Field(1.0, description="How much an AI-controlled holder likes this response.")

    @field_validator("weight")
    @classmethod
    def _not_negative(cls, value: Expression) -> Expression:
        return _non_negative_weight(value)


class Obligation(TextBlock):
    """A duty an article creates; when its trigger holds, the deciding role must honour or evade it."""

    holder: Id = Field(description="The role bound by the obligation.")
    beneficiary: Id = Field(description="The actor it protects or must be asked.")
    kind: Literal["commitment", "consultation"] = Field(
        "commitment",
        description=(
            "commitment: the holder decides whether to honour it; consultation: the holder must ask, "
            "and the beneficiary's role decides (see `decided_by`)."
        ),
    )
    decided_by: Id | None = Field(
        None, description="The role that decides when the trigger fires; defaults to the holder."
    )
    scope: LocalizedText = Field(description="What the obligation covers, in a sentence.")
    trigger: Expression = Field(description="Condition that engages the obligation.")
    credibility: VariableId | None = Field(None, description="A variable that measures the holder's credibility.")
    honour: Response = Field(description="Keeping the obligation.")
    evade: Response = Field(description="Not keeping it.")
    cooldown: Count = Field(
        4, ge=0, le=MAX_TURNS, description="Turns before the obligation can be engaged again."
    )
    history: ObligationHistory | None = Field(
        None, description="What really happened when it was engaged; the debrief shows it beside the ledger."
    )


class Article(TextBlock):
    """An article of a treaty, summarised in the scenario's own words."""

    id: Id = Field(description="Id, unique within the treaty (e.g. art5).")
    title: LocalizedText = Field(description="Short name, e.g. 'Article V'.")
    summary: LocalizedText = Field(description="What it says, in your own words.")
    obligation: Obligation | None = Field(None, description="The duty it creates, if any.")


class Treaty(Citations):
    """A treaty or agreement in force during the scenario."""

    id: Id = Field(description="Unique treaty id.")
    name: LocalizedText = Field(description="Name shown in the UI.")
    parties: list[Id] = Field(min_length=2, description="Actor ids of the parties.")
    signed: YearMonth | None = Field(None, description="When it was signed.")
    in_force: YearMonth | None = Field(None, description="When it took effect.")
    articles: list[Article] = Field(default_factory=list, description="The articles that matter to the game.")


# --- roles --------------------------------------------------------------------------------


class Lever(TextBlock):
    """A policy a role sets; generates `lever.<id>`, which only the role's commands move."""

    label: LocalizedText = Field(description="Name shown beside the slider.")
    description: LocalizedText | None = Field(None, description="What it does and what it costs.")
    unit: str | None = Field(None, description="Unit shown after the value.")
    range: Range = (0.0, 100.0)
    initial: Number = Field(description="Setting at the start.")
    step: Number | None = Field(None, gt=0, description="Slider step; a toggle when the range is [0, 1] and step 1.")
    lag: Count = Field(
        0, ge=0, le=12, description="Turns a new setting takes to take full effect (it moves in equal steps)."
    )
    source: Id | None = Field(None, description="Source of the initial setting, when it is a real figure.")

    @model_validator(mode="after")
    def _range_ok(self) -> Lever:
        _check_range(*self.range)
        return self


class Briefing(TextBlock):
    """What a role is told at the start."""

    public: LocalizedText = Field(description="Shown to everyone (in classroom mode, read aloud).")
    private: LocalizedText | None = Field(None, description="Shown only to the player of this role.")


class Objective(TextBlock):
    """A goal of a role, worth points."""

    id: Id = Field(description="Id, unique within the role.")
    label: LocalizedText = Field(description="What the goal is, in a sentence.")
    when: Expression = Field(description="Condition that counts as success.")
    points: Number = Field(10.0, description="Points earned.")
    check: Literal["end", "every_turn"] = Field(
        "end", description="end: checked once at the end; every_turn: points for each turn it holds, divided by turns."
    )


class LossCondition(TextBlock):
    """A condition that ends the game early for a role (e.g. the cabinet falls)."""

    id: Id = Field(description="Id, unique within the role.")
    label: LocalizedText = Field(description="What happened, e.g. 'The cabinet falls'.")
    when: Expression = Field(description="Condition checked every turn.")
    ending: Id = Field(description="The ending it leads to.")


class Advisor(Strict):
    """An advisor who recommends choices from simulated futures, according to priorities."""

    id: Id = Field(description="Id, unique within the role.")
    name: LocalizedText = Field(description="Name or title, e.g. 'Foreign Minister'.")
    portfolio: LocalizedText | None = Field(None, description="What they look after.")
    priorities: dict[VariableId, Number] = Field(
        min_length=1, description="Weights over variables: positive means 'more is better'."
    )
    risk: Number = Field(
        0.0, ge=-1.0, le=1.0, description="-1 judges by the bad case (10th percentile), 0 the median, 1 the good case."
    )


class RoleAI(Strict):
    """How the role decides when nobody plays it."""

    policy: Literal["argmax", "softmax", "random", "first"] = Field(
        "softmax", description="argmax: highest weight; softmax: weighted chance; random; first choice."
    )
    temperature: Number = Field(1.0, gt=0.0, description="Softmax temperature on the weights' logarithms.")


class Role(Strict):
    """A seat at the table: played by a person or by the AI."""

    actor: Id = Field(description="The actor this role belongs to.")
    title: LocalizedText = Field(description="e.g. 'Prime Minister of Japan'.")
    playable: bool = Field(True, description="Offered to players (otherwise always AI).")
    briefing: Briefing | None = Field(None, description="What the role is told at the start.")
    levers: dict[Id, Lever] = Field(default_factory=dict, description="Policies this role sets.")
    objectives: list[Objective] = Field(default_factory=list, description="Goals worth points.")
    losses: list[LossCondition] = Field(default_factory=list, description="Ways to lose early.")
    advisors: list[Advisor] = Field(default_factory=list, description="Who advises this role.")
    ai: RoleAI = Field(default_factory=RoleAI, description="Behaviour when AI-controlled.")


# --- calendar, endings, map -----------------------------------------------------------------


class Calendar(Strict):
    """When the scenario starts and how long a turn is."""

    start: YearMonth = Field(description="Month of the first turn.")
    turn: Literal["month", "quarter", "year"] = Field(description="Length of one turn.")
    turns: Count = Field(ge=1, le=MAX_TURNS, description="Number of turns.")

    def months_per_turn(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.turn]


class Ending(TextBlock):
    """How the scenario can end."""

    id: Id = Field(description="Unique ending id.")
    title: LocalizedText = Field(description="Headline.")
    text: LocalizedText = Field(description="What it means, shown in the debrief.")
    when: Expression | None = Field(
        None, description="Checked every turn; the first ending whose condition holds ends the game."
    )
    at_end: bool = Field(
        False,
        description=(
            "A candidate at the last turn: the first `at_end` ending whose `when` holds (or has none) "
            "is chosen."
        ),
    )
    historical: bool = Field(False, description="This is how it really ended.")
    hypothetical: bool = Field(
        False, description="A counterfactual ending (one history did not take): labelled as such in the debrief."
    )

    @model_validator(mode="after")
    def _one_label(self) -> Ending:
        if self.historical and self.hypothetical:
            raise ValueError("an ending cannot be both `historical` and `hypothetical`")
        return self


class Grades(Strict):
    """Score thresholds (percent of the role's possible points) for letter grades."""

    a: Number = Field(80.0, description="Minimum percent for an A.")
    b: Number = Field(60.0, description="Minimum percent for a B.")
    c: Number = Field(40.0, description="Minimum percent for a C.")
    d: Number = Field(20.0, description="Minimum percent for a D; below is an E.")


class Place(TextBlock):
    """A point on the map: a base, a city, an island."""

    id: Id = Field(description="Unique place id.")
    name: LocalizedText = Field(description="Label on the map.")
    at: tuple[Number, Number] = Field(description="`[longitude, latitude]` in degrees.")
    kind: Literal["base", "city", "island", "sea", "other"] = Field("other", description="Marker style.")
    actor: Id | None = Field(None, description="Actor it belongs to (colours the marker).")
    shows: VariableId | None = Field(None, description="Variable whose value sizes the marker.")
    description: LocalizedText | None = Field(None, description="Shown in the place's panel.")

    @field_validator("at")
    @classmethod
    def _coordinates(cls, value: tuple[float, float]) -> tuple[float, float]:
        lon, lat = value
        if not (-180 <= lon <= 360 and -90 <= lat <= 90):
            raise ValueError(f"[{lon}, {lat}] is not [longitude, latitude] in degrees")
        return value


class Tension(Strict):
    """A line drawn between two actors, coloured by a variable."""

    between: tuple[Id, Id] = Field(description="The two actors.")
    shows: VariableId = Field(description="Variable read (0–100 scale; higher = more tense).")


class MapSpec(Strict):
    """What the map shows."""

    view: tuple[Number, Number, Number, Number] = Field(
        description="Initial viewport `[west, south, east, north]` in degrees."
    )
    places: list[Place] = Field(default_factory=list, description="Markers.")
    tensions: list[Tension] = Field(default_factory=list, description="Lines between actors.")

    @field_validator("view")
    @classmethod
    def _view(cls, value: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        west, south, east, north = value
        if not (west < east and south < north and south >= -90 and north <= 90):
            raise ValueError("view must be [west, south, east, north] with west < east and south < north")
        return value


class HistoryCheck(Citations):
    """What "ends near history" means for this scenario, checked by the balance tests.

    When every decision follows the historical path (each event's `history.choice`), the
    ending marked `historical: true` must occur in at least `ending_share` of seeded runs, and
    each listed variable's median final value must lie within its range.
    """

    ending_share: Number = Field(0.5, ge=0.0, le=1.0, description="Minimum share of runs ending historically.")
    variables: dict[VariableId, Range] = Field(
        default_factory=dict, description="Variables whose median final value must lie in `[min, max]`."
    )
    note: LocalizedText | None = Field(None, description="What really happened, in numbers, for the debrief.")


class Expectation(Strict):
    """A claim about how the scenario plays, checked by `python main.py test-scenario`.

    `runs` seeded games are played headless under `policy` (as `simulate` plays them); then either the
    share of games ending in one of `ending` must lie within `share`, or the median (or mean) final
    value of `variable` within `median` (or `mean`).
    """

    id: Id = Field(description="Names the expectation in reports.")
    policy: Literal["random", "first", "historical"] = Field(
        "historical", description="How the playable roles decide (as in `simulate --policy`)."
    )
    runs: int = Field(200, ge=1, le=100_000, description="Seeded games to play.")
    seed: int = Field(0, ge=0, description="Seed of the games (the same seed gives the same games).")
    ending: list[Id] | None = Field(None, description="Endings whose combined share is measured.")
    share: tuple[float, float] | None = Field(None, description="`[min, max]` of that share (0–1).")
    variable: VariableId | None = Field(None, description="Variable whose final value is measured.")
    median: tuple[float, float] | None = Field(None, description="`[min, max]` of its median final value.")
    mean: tuple[float, float] | None = Field(None, description="`[min, max]` of its mean final value.")
    note: str | None = Field(None, description="Why this should hold (e.g. what happened historically).")

    @field_validator("ending", mode="before")
    @classmethod
    def _one_ending(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_condition(self) -> Expectation:
        on_ending = self.ending is not None or self.share is not None
        on_variable = self.variable is not None or self.median is not None or self.mean is not None
        if on_ending == on_variable:
            raise ValueError("an expectation measures either `ending` with `share`, or `variable` with "
                             "`median` or `mean`")
        if on_ending and (self.ending is None or self.share is None):
            raise ValueError("an ending expectation needs both `ending` and `share: [min, max]`")
        if on_variable and (self.variable is None or (self.median is None) == (self.mean is None)):
            raise ValueError("a variable expectation needs `variable` and one of `median` or `mean`")
        for bounds in (self.share, self.median, self.mean):
            if bounds is not None and bounds[0] > bounds[1]:
                raise ValueError(f"[{bounds[0]}, {bounds[1]}]: the minimum is above the maximum")
        return self
# --- the classroom ------------------------------------------------------------------------------


class DebriefQuestion(Strict):
    """A question for the class after the game, in English and Japanese."""

    en: str = Field(min_length=1, description="The question in English.")
    ja: str = Field(min_length=1, description="The question in Japanese.")


class Classroom(Strict):
    """How the scenario runs as a lesson at one machine: its length, what the facilitator may inject, and the
    questions for the debrief."""

    turns: int = Field(ge=1, le=400, description="Turns suggested for one lesson (the lesson may stop early).")
    minutes_per_turn: int = Field(
        5, ge=1, le=30, description="Minutes per turn suggested for the lesson's clock (the room offers 3, 5 or 8)."
    )
    injectable: list[Id] = Field(
        default_factory=list, description="Ids of the events the facilitator may fire during the lesson."
    )
    debrief_questions: list[DebriefQuestion] = Field(
        default_factory=list, description="Questions for the class after the game, in English and Japanese."
    )


# --- the scenario -------------------------------------------------------------------------------


class Scenario(Strict):
    """A complete scenario file (after `extends` has been merged)."""

    format: Literal[1] = Field(description="Format version; always 1 for now.")
    id: Id = Field(description="Unique scenario id (used on the command line).")
    extends: str | None = Field(
        None, description="Path of a base file (relative to this one) whose content this file extends."
    )
    abstract: bool = Field(False, description="A base for other files, not playable on its own.")
    title: LocalizedText = Field(description="Title in the scenario browser.")
    period: LocalizedText | None = Field(None, description="e.g. '1959–1960'; defaults to the calendar's years.")
    summary: LocalizedText = Field(description="One paragraph in the scenario browser.")
    summary_sources: list[Id] = Field(
        default_factory=list, description="Ids of the sources backing the figures in the title and summary."
    )
    summary_calibration: bool = Field(
        False, description="The summary's figures are game calibration, not real-world figures."
    )
    difficulty: Literal["easy", "medium", "hard"] = Field("medium", description="Shown in the browser.")
    hypothetical: bool = Field(
        False,
        description=(
            "The scenario's own course is wholly or partly hypothetical, e.g. it runs past today (labelled in "
            "the browser). Events that can only happen off the historical path are labelled one by one instead."
        ),
    )
    authors: list[str] = Field(default_factory=list, description="Who wrote it.")
    calendar: Calendar
    sources: list[Source] = Field(default_factory=list, description="Sources cited anywhere in the file.")
    actors: dict[Id, Actor] = Field(min_length=1, description="States and other actors, by id.")
    variables: dict[VariableId, Variable] = Field(default_factory=dict, description="Quantities of the world.")
    opinion: Opinion = Field(default_factory=Opinion, description="Public-opinion groups and issues.")
    relations: list[Relation] = Field(default_factory=list, description="Relations between actors.")
    influences: list[Influence] = Field(default_factory=list, description="The causal web.")
    roles: dict[Id, Role] = Field(min_length=1, description="Seats at the table, by id.")
    treaties: list[Treaty] = Field(default_factory=list, description="Treaties in force.")
    events: list[Event] = Field(default_factory=list, description="Events and decisions.")
    endings: list[Ending] = Field(min_length=1, description="How it can end.")
    grades: Grades = Field(default_factory=Grades, description="Score thresholds for letter grades.")
    history_check: HistoryCheck | None = Field(
        None, description="What 'ends near history' means (historical scenarios); checked by the balance tests."
    )
    map: MapSpec
    expectations: list[Expectation] = Field(
        default_factory=list, description="How the scenario should play; checked by `python main.py test-scenario`."
    )
    classroom: Classroom | None = Field(
        None, description="How the scenario runs as a lesson: length, events to inject, debrief questions."
    )

    @field_validator("title", "summary", "period")
    @classmethod
    def _english_required(cls, value: LocalizedText | None) -> LocalizedText | None:
        _check_localized(value)
        return value

    def playable_roles(self) -> list[str]:
        """Ids of the roles a person may play, in the scenario's order (the others are played by the AI)."""
        return [role_id for role_id, role in self.roles.items() if role.playable]


class ScenarioBase(Strict):
    """An abstract base file (`abstract: true`): every section optional, merged into files that extend it."""

    format: Literal[1] = Field(description="Format version; always 1 for now.")
    id: Id = Field(description="Id of the base.")
    abstract: Literal[True] = Field(description="Marks the file as a base.")
    extends: str | None = None
    title: LocalizedText | None = None
    summary: LocalizedText | None = None
    summary_sources: list[Id] = Field(default_factory=list)
    summary_calibration: bool = False
    sources: list[Source] = Field(default_factory=list)
    actors: dict[Id, Actor] = Field(default_factory=dict)
    variables: dict[VariableId, Variable] = Field(default_factory=dict)
    opinion: Opinion = Field(default_factory=Opinion)
    relations: list[Relation] = Field(default_factory=list)
    influences: list[Influence] = Field(default_factory=list)
    roles: dict[Id, Role] = Field(default_factory=dict)
    treaties: list[Treaty] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    endings: list[Ending] = Field(default_factory=list)
    map: MapSpec | None = None
    classroom: Classroom | None = None
