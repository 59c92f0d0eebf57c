"""`python main.py protocol-schema`: the JSON Schema of every classroom protocol message, both directions."""

from __future__ import annotations

import json
from typing import Any

from game.server.protocol import CLIENT_MESSAGE, SERVER_MESSAGE


def protocol_schema() -> dict[str, Any]:
    """One document: `client` (what a browser may send) and `server` (what it receives), each a oneOf on type."""
    client = CLIENT_MESSAGE.json_schema(mode="validation")
    server = SERVER_MESSAGE.json_schema(mode="serialization")
    definitions = {**client.pop("$defs", {}), **server.pop("$defs", {})}  # no model name is used both ways
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Alliance Desk classroom protocol",
        "description": "WebSocket /ws, JSON text frames of at most 8 KiB, one object each; see docs/protocol.md. "
                       "Validate a client frame against #/$defs/client and a server frame against #/$defs/server.",
        "$defs": {**definitions, "client": client, "server": server},
    }


def print_protocol_schema() -> int:
    print(json.dumps(protocol_schema(), indent=2, ensure_ascii=False))
    return 0
