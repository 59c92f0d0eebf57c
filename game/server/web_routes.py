"""The browser client's HTTP routes: its pages, its static files, the map as SVG and the catalogue as JSON.

The app (`game.server.app`) mounts these beside `/ws` and `/healthz`; the security headers are the app's middleware.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from game.geography.map_data import WorldMap, load_world_map
from game.resources import assets_dir
from game.scenario.models import Scenario
from game.server.map_svg import region_svg
from game.server.web_catalog import WEB_DIR, catalog_json
from game.translation import LANGUAGES

# The game's bundled Japanese font: a browser without a Japanese font (a fresh Linux, a kiosk Chromebook) would
# draw boxes. The stylesheet asks for it only for Japanese characters (unicode-range), so English pages skip it.
FONTS = {"jp-regular.otf": "NotoSansCJKjp-Regular-subset.otf", "jp-bold.otf": "NotoSansCJKjp-Bold-subset.otf"}
PAGES = {"/": "join.html", "/seat": "seat.html", "/facilitator": "facilitator.html", "/projector": "projector.html"}


@cache
def _world_map() -> WorldMap:
    return load_world_map()


def web_routes(scenario: Scenario | None = None) -> list[BaseRoute]:
    """The routes of the browser client, for `create_app` to include.

    `/map.svg` draws `scenario` (else the app's `state.scenario`), built once per language (`?lang=ja`).
    """
    svgs: dict[str, str] = {}

    def page(file_name: str) -> Route:
        async def serve_page(request: Request) -> Response:
            return FileResponse(WEB_DIR / file_name, media_type="text/html; charset=utf-8")

        path = next(path for path, name in PAGES.items() if name == file_name)
        return Route(path, serve_page, methods=["GET"])

    async def map_svg(request: Request) -> Response:
        shown = scenario if scenario is not None else getattr(request.app.state, "scenario", None)
        if shown is None:
            return Response("no scenario", status_code=404, media_type="text/plain")
        language = request.query_params.get("lang", "en")
        language = language if language in LANGUAGES else "en"
        if language not in svgs:
            svgs[language] = region_svg(shown, _world_map(), language)
        return Response(svgs[language], media_type="image/svg+xml")

    async def catalog(request: Request) -> Response:
        language = request.path_params["lang"]
        if language not in LANGUAGES:
            return Response("unknown language", status_code=404, media_type="text/plain")
        return Response(catalog_json(language), media_type="application/json")

    async def font(request: Request) -> Response:
        name = FONTS.get(request.path_params["name"])
        if name is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(assets_dir() / "fonts" / name, media_type="font/otf")

    routes: list[BaseRoute] = [page(name) for name in PAGES.values()]
    routes.append(Route("/fonts/{name}", font, methods=["GET"]))
    routes.append(Route("/map.svg", map_svg, methods=["GET"]))
    routes.append(Route("/i18n/{lang}.json", catalog, methods=["GET"]))
    routes.append(Mount("/static", app=StaticFiles(directory=WEB_DIR), name="static"))
    return routes
