"""The networked classroom: a room served to browsers over WebSockets (Starlette + uvicorn).

One room task (`room_host.RoomHost`) is the only code that touches its `game.play.room.Room`; every message a
connection receives is built field by field from the room's views (`views`), never from the session itself.
This package never imports pygame or `game.ui` (the pygame game hosts a room through `background.ServerThread`).
"""
