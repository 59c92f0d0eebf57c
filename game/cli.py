"""Command-line entry point: wires each command to the layer that owns it.

Imports are done inside the handlers so that `python main.py validate` never loads pygame
and a headless command starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _add_data_dir(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # Sub-commands suppress the default so that `--data-dir` given before the command survives.
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="folder for saves, settings and mods (default: the platform's user data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="Alliance Desk: a policy simulation game about military alliances. "
        "With no command, the game window opens.",
    )
    _add_data_dir(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="command")

    play = commands.add_parser("play", help="open the game straight into a scenario")
    play.add_argument("scenario", help="a scenario id or a path to a scenario file")
    play.add_argument("--role", help="the role to play (default: the first playable role)")
    play.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    play.add_argument("--load", type=Path, default=None, help="a save file to load")
    _add_data_dir(play)

    classroom = commands.add_parser("classroom", help="a hot-seat lesson at one machine: seats, a clock, a projector")
    classroom.add_argument("scenario", help="a scenario id or a path to a scenario file")
    classroom.add_argument("--seats", required=True, help="the roles that have a seat, ROLE,ROLE[,...]")
    classroom.add_argument("--turn-minutes", type=float, default=None,
                           help="minutes per turn (the setup screen offers off, 3, 5 and 8; default the scenario's)")
    classroom.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    _add_data_dir(classroom)

    validate = commands.add_parser("validate", help="check scenario files and print every problem")
    validate.add_argument("paths", nargs="*", type=Path, help="files or folders (default: shipped scenarios and mods)")
    validate.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    _add_data_dir(validate)

    commands.add_parser("schema", help="print the JSON Schema of the scenario format")

    new = commands.add_parser("new-scenario", help="write a commented starter scenario that validates")
    new.add_argument("name", help="the new scenario's id, or a path ending in .yaml")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    simulate = commands.add_parser("simulate", help="run many seeded games headless and summarise them")
    simulate.add_argument("scenario", help="a scenario id or a path to a scenario file")
    simulate.add_argument("--runs", type=int, default=100, help="number of games (default 100)")
    simulate.add_argument("--turns", type=int, default=None, help="turns per game (default: the scenario's)")
    simulate.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    simulate.add_argument(
        "--policy", choices=["advisor", "random", "first", "historical"], default="random",
        help="how the players' decisions are made (default random)",
    )
    simulate.add_argument("--out", type=Path, default=None, help="write per-run results to FILE.json or FILE.csv")
    simulate.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_data_dir(simulate)

    sweep = commands.add_parser("sweep", help="run scenario variants × policies × seeds, on a pool or Dask")
    sweep.add_argument("spec", type=Path, help="the sweep spec (YAML)")
    sweep.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    sweep.add_argument("--dask", default=None, metavar="local|tcp://HOST:PORT",
                       help="run on Dask: 'local' starts a LocalCluster on 127.0.0.1, or a scheduler's address")
    sweep.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.parquet")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_data_dir(sweep)

    test_scenario = commands.add_parser("test-scenario", help="play each scenario's expectations and report failures")
    test_scenario.add_argument("paths", nargs="*", type=Path,
                               help="files or folders (default: shipped scenarios and mods)")
    _add_data_dir(test_scenario)

    screenshot = commands.add_parser("screenshot", help="render one screen headless to a PNG")
    screenshot.add_argument("--scenario", default=None, help="a scenario id or path (default: the first shipped)")
    # The screens' names live in game/ui/screens.py (which imports pygame): an unknown name lists them.
    screenshot.add_argument("--screen", default="title",
                            help="the screen to render, by name (default title; an unknown name lists them)")
    screenshot.add_argument("--out", type=Path, required=True, help="the PNG file to write")
    screenshot.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    screenshot.add_argument("--scale", type=float, default=1.0, help="UI scale (1.0–2.0)")
    screenshot.add_argument("--lang", default="en", help="language code")

    from game.report.command import add_report_parsers  # light: the pack's code loads only when it runs

    add_report_parsers(commands, _add_data_dir)

    from game.server.serve_command import add_serve_parser

    _add_data_dir(add_serve_parser(commands))
    commands.add_parser("protocol-schema", help="print the JSON Schema of every classroom protocol message")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; exit codes: 0 clean, 1 problems in the input, 2 usage, 130 interrupted (Ctrl-C)."""
    _tolerant_console()
    try:
        return _run(build_parser().parse_args(argv))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`validate | head`): nothing more can be said; silence the flush at exit.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 141


def _tolerant_console() -> None:
    """A console that cannot show a character (a cp1252 or ASCII terminal, Japanese text) shows an escape
    instead of raising UnicodeEncodeError halfway through a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command == "validate":
        from game.scenario.validate_command import run_validate

        return run_validate(args.paths, output_format=args.format, data_dir=args.data_dir)
    if command == "schema":
        from game.scenario.schema import print_schema

        return print_schema()
    if command == "new-scenario":
        from game.scenario.starter import run_new_scenario

        return run_new_scenario(args.name, force=args.force)
    if command == "simulate":
        from game.play.simulate import run_simulate

        return run_simulate(args)
    if command == "sweep":
        from game.analysis.sweep_command import run_sweep

        return run_sweep(args)
    if command == "test-scenario":
        from game.analysis.test_scenario_command import run_test_scenario

        return run_test_scenario(args.paths, args.data_dir)
    if command == "screenshot":
        from game.ui.screenshot import run_screenshot

        return run_screenshot(args)
    if command == "report":
        from game.report.command import run_report

        return run_report(args)
    if command == "cards":
        from game.report.command import run_cards

        return run_cards(args)
    if command == "serve":
        from game.server.serve_command import run_serve

        return run_serve(args)
    if command == "protocol-schema":
        from game.server.protocol_schema import print_protocol_schema

        return print_protocol_schema()
    if command == "classroom":
        from game.ui.app import run_classroom

        return run_classroom(args)
    if command == "play":
        from game.ui.app import run_play

        return run_play(args)
    from game.ui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
