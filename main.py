"""Alliance Desk: `python main.py [command]`; with no command, the game window opens."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
