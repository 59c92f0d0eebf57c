"""`python main.py report` and `python main.py cards`: exit 0 when written, 1 for a problem in the input (said
plainly, never a traceback), 2 for a usage mistake."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.report.policies import POLICIES
from game.translation import LANGUAGES


def add_report_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                       add_data_dir: object) -> None:
    """The `report` and `cards` sub-commands (`add_data_dir` is the CLI's `--data-dir` helper)."""
    report = commands.add_parser(
        "report", help="write the debrief pack of a saved game, or of a game played headless",
        description="SOURCE is a save file (a classroom save or any saved game), or a scenario played here "
                    "headless with --seats, --policy and --seed.")
    report.add_argument("source", help="a save file (.json), or a scenario id or path")
    report.add_argument("--out", type=Path, required=True, help="the folder to write the pack into")
    report.add_argument("--seats", default=None, help="headless: the roles played, ROLE,ROLE")
    report.add_argument("--policy", choices=POLICIES, default="historical",
                        help="headless: how the seats decide (default historical)")
    report.add_argument("--seed", type=int, default=0, help="headless: the game's seed (default 0)")
    report.add_argument("--turns", type=int, default=None, help="headless: stop after this many turns")
    report.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the pack's language")
    report.add_argument("--worlds", type=int, default=1000, help="other worlds for the chance section")
    report.add_argument("--quiet", action="store_true", help="print nothing but errors")
    cards = commands.add_parser("cards", help="write printable role cards (public front, private page)")
    cards.add_argument("scenario", help="a scenario id or path")
    cards.add_argument("--seats", required=True, help="the roles, ROLE,ROLE")
    cards.add_argument("--out", type=Path, required=True, help="the folder to write cards.html into")
    cards.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the cards' language")
    cards.add_argument("--codes", type=Path, default=None, metavar="FILE.json",
                       help="print each seat's code and the join address (the file serve --codes-out wrote)")
    for parser in (report, cards):
        add_data_dir(parser)  # type: ignore[operator]


def _roles(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def run_report(args: argparse.Namespace) -> int:
    from game.report.exports import write_pack
    from game.report.pack import build_pack
    from game.report.played import PlayedGame, ReportProblem, game_from_save, game_played_headless

    source = str(args.source)
    data_dir = getattr(args, "data_dir", None)
    is_save = source.lower().endswith(".json")
    if is_save and args.seats:
        return _usage("report: --seats is for a game played headless; a save already names its seats")
    if not is_save and not _roles(args.seats):
        return _usage("report: a scenario needs --seats ROLE[,ROLE...] (or give a save file)")
    if args.worlds < 1:
        return _usage("report: --worlds must be at least 1")
    try:
        game: PlayedGame
        if is_save:
            game = game_from_save(Path(source), data_dir)
        else:
            game = game_played_headless(source, _roles(args.seats), args.policy, args.seed, data_dir, args.turns)
        pack = build_pack(game, args.lang, chance_worlds=args.worlds)
        written = write_pack(game, pack, args.out)
    except ReportProblem as problem:
        print(f"error: {problem.message}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote the debrief pack to {args.out}: {', '.join(path.name for path in written)}")
    return 0


def run_cards(args: argparse.Namespace) -> int:
    from game.report.cards import read_seat_codes
    from game.report.exports import write_role_cards
    from game.report.played import ReportProblem
    from game.scenario.catalog import find_scenario

    roles = _roles(args.seats)
    if not roles:
        return _usage("cards: --seats needs at least one role, ROLE[,ROLE...]")
    result = find_scenario(str(args.scenario), getattr(args, "data_dir", None))
    if result.scenario is None:
        for diagnostic in result.diagnostics:
            if diagnostic.severity == "error":
                print(diagnostic.format(), file=sys.stderr)
        return 1
    try:
        codes = read_seat_codes(args.codes) if args.codes is not None else None
    except ReportProblem as problem:
        print(problem.message, file=sys.stderr)  # already a file:line:col diagnostic
        return 1
    try:
        path, count = write_role_cards(result.scenario, roles, args.lang, Path(args.out), codes=codes)
    except ReportProblem as problem:
        print(f"error: {problem.message}", file=sys.stderr)
        return 1
    with_codes = f", with the seat codes of room {codes.room} and its join address" if codes is not None else ""
    print(f"wrote {count} role cards to {path}{with_codes}")
    return 0


def _usage(message: str) -> int:
    print(f"python main.py {message}", file=sys.stderr)
    return 2
