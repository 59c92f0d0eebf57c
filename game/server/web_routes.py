"""The browser client's HTTP routes: its pages, its static files, the map as SVG and the catalogue as JSON.

The app (`game.server.app`) mounts these beside `/ws` and `/healthz`; the security headers are the app's middleware.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
PAGES = {"/": "join.html", "/seat": "seat.html", "/facilitator": "facilitator.html", "/projector": "projector.html"}


def _page(file_name: str) -> Route:
    async def serve_page(request: Request) -> Response:
        return FileResponse(WEB_DIR / file_name, media_type="text/html; charset=utf-8")

    return Route(next(path for path, name in PAGES.items() if name == file_name), serve_page, methods=["GET"])


async def _map_svg(request: Request) -> Response:
    return Response('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>', media_type="image/svg+xml")


async def _catalog(request: Request) -> Response:
    return JSONResponse({})


def web_routes() -> list[BaseRoute]:
    """The routes of the browser client, for `create_app` to include."""
    routes: list[BaseRoute] = [_page(name) for name in PAGES.values()]
    routes.append(Route("/map.svg", _map_svg, methods=["GET"]))
    routes.append(Route("/i18n/{lang}.json", _catalog, methods=["GET"]))
    routes.append(Mount("/static", app=StaticFiles(directory=WEB_DIR), name="static"))
    return routes
