"""The classroom protocol: one strict pydantic model per WebSocket message (JSON text frames, one object each,
told apart by `"type"`).

Every model refuses unknown fields and coerces nothing (`strict`), so a frame is either exactly one of these
messages or refused. The role of a seat never travels in a message: the server takes it from the connection
that `hello` authenticated. `docs/protocol.md` describes each message; `python main.py protocol-schema` prints
their JSON Schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, model_validator

MAX_FRAME_BYTES = 8 * 1024
"""A larger frame closes the connection (WebSocket code 1009)."""

Language = Literal["en", "ja"]
ConnectionKind = Literal["seat", "control", "projector"]
Name = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
"""An identifier: a lever, event, choice, role, variable or connection id."""
Secret = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
"""A room code, seat code (`ABCD-EFGH`), facilitator key, projector token or resume token."""
Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]
MessageId = Annotated[int, Field(ge=0, le=2**53)]
"""The client's counter, echoed in `ack` / `rejected` / `exported`."""
Turn = Annotated[int, Field(ge=0, le=100_000)]
Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- client -> server ------------------------------------------------------------------------------------------


class Hello(Message):
    """The first frame of every connection: a code (seat code, facilitator key or projector token) or the
    resume token a seat was given before."""

    type: Literal["hello"]
    room: Secret
    code: Secret | None = None
    resume: Secret | None = None
    language: Language = "en"

    @model_validator(mode="after")
    def _one_credential(self) -> Hello:
        if (self.code is None) == (self.resume is None):
            raise ValueError("hello needs exactly one of 'code' and 'resume'")
        return self


class SetLanguage(Message):
    type: Literal["set_language"]
    id: MessageId
    language: Language


class SetLeverMessage(Message):
    type: Literal["set_lever"]
    id: MessageId
    turn: Turn
    lever: Name
    value: Number


class ChooseMessage(Message):
    type: Literal["choose"]
    id: MessageId
    turn: Turn
    event: Name
    choice: Name


class ReadyMessage(Message):
    type: Literal["ready"]
    id: MessageId
    turn: Turn


class AdviceRequest(Message):
    """A seat asks for its advisors' view of one pending decision."""

    type: Literal["advice"]
    id: MessageId
    turn: Turn
    event: Name


class StartMessage(Message):
    """The facilitator starts the lesson: the room locks (no new device joins by seat code)."""

    type: Literal["start"]
    id: MessageId


class LockMessage(Message):
    type: Literal["lock"]
    id: MessageId


class UnlockMessage(Message):
    type: Literal["unlock"]
    id: MessageId


class PauseMessage(Message):
    type: Literal["pause"]
    id: MessageId


class ResumeClockMessage(Message):
    type: Literal["resume_clock"]
    id: MessageId


class ExtendMessage(Message):
    type: Literal["extend"]
    id: MessageId
    seconds: Annotated[float, Field(gt=0, le=1800, allow_inf_nan=False)]


class TimeoutMessage(Message):
    type: Literal["timeout"]
    id: MessageId
    turn: Turn
    role: Name


class InjectMessage(Message):
    type: Literal["inject"]
    id: MessageId
    turn: Turn
    event: Name


class AdjustMessage(Message):
    type: Literal["adjust"]
    id: MessageId
    turn: Turn
    variable: Name
    value: Number
    reason: Text


class RewindMessage(Message):
    type: Literal["rewind"]
    id: MessageId
    turn: Turn
    reason: Text


class RemoveMessage(Message):
    type: Literal["remove"]
    id: MessageId
    connection: Name


class ReseatMessage(Message):
    type: Literal["reseat"]
    id: MessageId
    connection: Name
    role: Name


class NewCodeMessage(Message):
    type: Literal["new_code"]
    id: MessageId
    role: Name


class ExportMessage(Message):
    type: Literal["export"]
    id: MessageId


SeatMessage = SetLeverMessage | ChooseMessage | ReadyMessage | AdviceRequest
ControlMessage = (StartMessage | LockMessage | UnlockMessage | PauseMessage | ResumeClockMessage | ExtendMessage
                  | TimeoutMessage | InjectMessage | AdjustMessage | RewindMessage | RemoveMessage | ReseatMessage
                  | NewCodeMessage | ExportMessage)
ClientMessage = Annotated[Hello | SetLanguage | SeatMessage | ControlMessage, Field(discriminator="type")]
CLIENT_MESSAGE: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)

SEAT_TYPES = frozenset({"set_lever", "choose", "ready", "advice"})
CONTROL_TYPES = frozenset({"start", "lock", "unlock", "pause", "resume_clock", "extend", "timeout", "inject",
                           "adjust", "rewind", "remove", "reseat", "new_code", "export"})


class ProtocolError(ValueError):
    """A frame that is not a valid client message; the text is safe to send back (no input echoed at length)."""


def parse_client_message(frame: str | bytes) -> ClientMessage:
    """The client message in `frame`, or ProtocolError saying briefly what is wrong."""
    if isinstance(frame, bytes):
        raise ProtocolError("binary frames are not accepted: send JSON text")
    try:
        return CLIENT_MESSAGE.validate_json(frame)
    except ValidationError as error:
        raise ProtocolError(_summary(error)) from None


def _summary(error: ValidationError) -> str:
    """The first problem of a validation error, without echoing the input (it may be long or hostile)."""
    first = error.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(str(part) for part in first["loc"] if not isinstance(part, int))
    message = str(first["msg"])[:120]
    return f"{where}: {message}" if where else message


# --- server -> client ------------------------------------------------------------------------------------------


class Welcome(Message):
    type: Literal["welcome"] = "welcome"
    kind: ConnectionKind
    connection: str
    role: str | None
    team: str | None
    resume: str | None
    language: Language


class Ack(Message):
    type: Literal["ack"] = "ack"
    id: int


class Rejected(Message):
    """A well-formed message the game or the room refused; `message` is translated."""

    type: Literal["rejected"] = "rejected"
    id: int | None
    message: str


class Error(Message):
    """A protocol error: bad JSON, unknown type, too fast, not allowed."""

    type: Literal["error"] = "error"
    message: str


class KeyVariable(Message):
    id: str
    label: str
    value: str


class NewsItem(Message):
    turn: int
    date: str
    text: str


class ObligationItem(Message):
    obligation: str
    title: str
    date: str
    outcome: str


class PublicSeat(Message):
    role: str
    team: str
    title: str
    ready: bool
    connected: int


class ClockState(Message):
    limit: float | None
    remaining: float | None
    paused: bool
    warning: bool
    expired: bool


class Briefing(Message):
    title: str
    text: str


class Public(Message):
    """The public view: what the projector may show, nothing private to any seat."""

    type: Literal["public"] = "public"
    version: int
    scenario: str
    title: str
    date: str
    turn: int
    turns: int
    is_over: bool
    ending: str | None
    key_variables: tuple[KeyVariable, ...]
    news: tuple[NewsItem, ...]
    obligations: tuple[ObligationItem, ...]
    seats: tuple[PublicSeat, ...]
    clock: ClockState
    briefings: tuple[Briefing, ...]
    locked: bool


class ChoiceItem(Message):
    id: str
    label: str
    text: str
    available: bool
    default: bool


class DecisionItem(Message):
    event: str
    title: str
    text: str
    choices: tuple[ChoiceItem, ...]
    chosen: str | None


class LeverItem(Message):
    id: str
    label: str
    setting: float
    low: float
    high: float


class SeatState(Message):
    """One seat's own view (sent only to that seat's connections)."""

    type: Literal["seat"] = "seat"
    version: int
    role: str
    team: str
    title: str
    ready: bool
    public_briefing: str
    private_briefing: str | None
    objectives: tuple[str, ...]
    decisions: tuple[DecisionItem, ...]
    levers: tuple[LeverItem, ...]


class SeatConnection(Message):
    connection: str
    language: Language
    since: float  # seconds since the server started


class ControlSeat(Message):
    role: str
    team: str
    title: str
    ready: bool
    connections: tuple[SeatConnection, ...]


class ConnectionItem(Message):
    connection: str
    kind: ConnectionKind
    role: str | None


class InjectableItem(Message):
    event: str
    title: str


class VariableItem(Message):
    id: str
    label: str
    value: float
    low: float | None
    high: float | None


class LogItem(Message):
    at: float
    turn: int
    kind: str
    text: str


class ControlState(Message):
    """The facilitator's view (sent only to control connections)."""

    type: Literal["control"] = "control"
    version: int
    locked: bool
    seats: tuple[ControlSeat, ...]
    connections: tuple[ConnectionItem, ...]
    injectable: tuple[InjectableItem, ...]
    variables: tuple[VariableItem, ...]
    rewind_turns: tuple[int, ...]
    log: tuple[LogItem, ...]


class AdvisorItem(Message):
    name: str
    recommends: str
    label: str
    reasons: tuple[str, ...]


class ForecastItem(Message):
    choice: str
    label: str
    summary: str


class AdviceState(Message):
    type: Literal["advice"] = "advice"
    turn: int
    event: str
    status: Literal["thinking", "ready", "failed"]
    advisors: tuple[AdvisorItem, ...] = ()
    forecasts: tuple[ForecastItem, ...] = ()


class ClockTick(Message):
    """Sent on every clock change and every 5 s; the client counts down in between."""

    type: Literal["clock"] = "clock"
    remaining: float | None
    paused: bool
    warning: bool
    expired: bool


class Exported(Message):
    type: Literal["exported"] = "exported"
    id: int
    path: str


class NewCode(Message):
    """The reply to `new_code` (control only): the seat's fresh code, to read out or print."""

    type: Literal["new_code"] = "new_code"
    id: int
    role: str
    code: str


class Bye(Message):
    type: Literal["bye"] = "bye"
    reason: str


ServerMessage = Annotated[Welcome | Ack | Rejected | Error | Public | SeatState | ControlState | AdviceState
                          | ClockTick | Exported | NewCode | Bye, Field(discriminator="type")]
SERVER_MESSAGE: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)


def encode(message: Message) -> str:
    """The message as a JSON text frame."""
    return message.model_dump_json()

