"""Alliance Desk: a scenario-based policy simulation game about military alliances."""

__version__ = "0.1.0"
