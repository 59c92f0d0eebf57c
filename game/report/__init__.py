"""The debrief pack and the role cards: a played game turned into printable, self-contained HTML and data files.

Headless like `game.play` (never pygame): `python main.py report SAVE --out DIR` (or a game played here
from a scenario, seats, a policy and a seed) and `python main.py cards SCENARIO --seats ... --out DIR`.
The same inputs give the same bytes: nothing in the pack depends on when it was made.
"""
