"""What each connection may see, built field by field (an allowlist) from the room's own views.

Nothing here copies a whole object: each outgoing field is named, so a field added to the session, the state
or a view later is not sent until someone adds it here on purpose. Never sent: the seed (the randomness is
counter-based, so the seed and the command log give perfect foresight), the world keys, the state, the command
log, another seat's private briefing, objectives, drafts or advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from game.play.decisions import PendingDecision, describe_decision
from game.play.room import PublicView, Room
from game.server.protocol import (
    Briefing,
    ChoiceItem,
    ClockState,
    ClockTick,
    ConnectionItem,
    ConnectionKind,
    ControlSeat,
    ControlState,
    DecisionItem,
    InjectableItem,
    KeyVariable,
    Language,
    LeverItem,
    LogItem,
    NewsItem,
    ObligationItem,
    Public,
    PublicSeat,
    SeatConnection,
    SeatState,
    VariableItem,
)
from game.translation import using_language


@dataclass(frozen=True)
class ConnectionInfo:
    """A connection as the control view lists it (no address, no token)."""

    connection: str
    kind: ConnectionKind
    role: str | None
    language: Language
    since: float


def public_message(room: Room, version: int, language: str, *, locked: bool,
                   connected: Mapping[str, int], view: PublicView | None = None) -> Public:
    """The `public` message; `view`: the room's public view in `language` now, if the caller has it."""
    view = room.public_view(language) if view is None else view
    return Public(
        version=version, scenario=view.scenario_id, title=view.title, date=view.date, turn=view.turn,
        turns=view.turns, is_over=view.is_over, ending=view.ending,
        key_variables=tuple(KeyVariable(id=v.id, label=v.label, value=v.value) for v in view.key_variables),
        news=tuple(NewsItem(turn=n.turn, date=n.date, text=n.text) for n in view.news),
        obligations=tuple(ObligationItem(obligation=o.obligation, title=o.title, date=o.date, outcome=o.outcome)
                          for o in view.obligations),
        seats=tuple(PublicSeat(role=s.role, team=s.team, title=s.title, ready=s.ready,
                               connected=connected.get(s.role, 0)) for s in view.seats),
        clock=clock_state(view),
        briefings=tuple(Briefing(title=title, text=text) for title, text in view.public_briefings),
        locked=locked,
    )


def clock_state(view: PublicView) -> ClockState:
    clock = view.clock
    return ClockState(limit=clock.limit_seconds, remaining=clock.remaining, paused=clock.paused,
                      warning=clock.warning, expired=clock.expired)


def clock_tick(room: Room) -> ClockTick:
    clock = room.clock
    return ClockTick(remaining=clock.remaining(), paused=clock.paused, warning=clock.warning, expired=clock.expired)


def seat_message(room: Room, role: str, version: int, language: str,
                 public: PublicView | None = None) -> SeatState:
    """The `seat` message; `public`: the room's public view in `language` now, if the caller has it."""
    view = room.seat_view(role, language, public)
    return SeatState(
        version=version, role=view.role, team=view.team, title=view.title, ready=view.ready,
        public_briefing=view.public_briefing, private_briefing=view.private_briefing,
        objectives=tuple(view.objectives), decisions=tuple(_decision(d) for d in view.decisions),
        levers=tuple(LeverItem(id=lever.id, label=lever.label, setting=float(lever.setting), low=float(lever.low),
                               high=float(lever.high)) for lever in view.levers),
    )


def _decision(pending: PendingDecision) -> DecisionItem:
    info = pending.info
    return DecisionItem(
        event=info.event_id, title=info.title, text=info.text,
        choices=tuple(ChoiceItem(id=c.id, label=c.label, text=c.text or "", available=c.id in pending.available,
                                 default=c.id == pending.default_choice) for c in info.choices),
        chosen=pending.chosen,
    )


def control_message(room: Room, version: int, language: str, *, locked: bool,
                    connections: Iterable[ConnectionInfo]) -> ControlState:
    session = room.session
    listed = list(connections)
    view = room.public_view(language)
    with using_language(language) as chosen:
        injectable = []
        for event_id in room.injectable_events():
            info = describe_decision(session.scenario, event_id, chosen)
            injectable.append(InjectableItem(event=event_id, title=info.title if info is not None else event_id))
        variables = tuple(
            VariableItem(id=vid, label=session.compiled.label(vid, chosen), value=float(session.value(vid)),
                         low=float(variable.range[0]), high=float(variable.range[1]))
            for vid, variable in session.scenario.variables.items()
        )
    seats = tuple(
        ControlSeat(role=s.role, team=s.team, title=s.title, ready=s.ready, connections=tuple(
            SeatConnection(connection=c.connection, language=c.language, since=c.since)
            for c in listed if c.kind == "seat" and c.role == s.role))
        for s in view.seats
    )
    return ControlState(
        version=version, locked=locked, seats=seats,
        connections=tuple(ConnectionItem(connection=c.connection, kind=c.kind, role=c.role) for c in listed),
        injectable=tuple(injectable), variables=variables,
        rewind_turns=tuple(range(session.turn + 1)) if session.turn > 0 else (),
        log=tuple(LogItem(at=e.at, turn=e.turn, kind=e.kind, text=e.text) for e in room.log[-200:]),
    )
