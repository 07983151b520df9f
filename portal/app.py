"""The application factory: ``create_app(settings)`` wires routes, guards and plumbing."""

from __future__ import annotations

import logging

from litestar import Litestar, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router

from challenges.routes import ROUTES as CHALLENGE_ROUTES
from portal import db
from portal.api.auth import AuthApi, UsersApi
from portal.config import Settings, get_settings, use_settings
from portal.controllers.account import AccountController
from portal.controllers.admin import AdminController
from portal.controllers.auth import AuthController
from portal.controllers.home import HomeController, healthz
from portal.guards import PUBLIC, require_sign_in
from portal.http_errors import EXCEPTION_HANDLERS
from portal.request_checks import VonkRequest, check_request
from portal.templating import STATIC_DIR, template_config
from portal.web import VonkMiddleware
from search.web import ROUTES as SEARCH_ROUTES

API_VERSION = "1"


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the Vonk ASGI application for ``settings`` (default: from the environment)."""
    settings = use_settings(settings or get_settings())
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )

    async def on_startup() -> None:
        from challenges.services.pipeline import sweeper
        from search import indexer, runtime

        await db.start_engine(settings)
        runtime.configure(settings.search_dir)
        if settings.indexer == "app":  # else `vonk worker` feeds the index
            indexer.start_background()
        # Community-vote challenges are decided when they close; every process may sweep.
        sweeper.start_background()

    async def on_shutdown() -> None:
        from challenges.services.pipeline import sweeper
        from search import indexer, runtime

        await sweeper.stop_background()
        await indexer.stop_background()
        runtime.reset()
        await db.stop_engine()

    static = create_static_files_router(
        path="/static", directories=[STATIC_DIR], opt=PUBLIC, include_in_schema=False
    )
    api = Router(path="/", route_handlers=[AuthApi, UsersApi])
    app = Litestar(
        route_handlers=[
            AuthController,
            HomeController,
            AccountController,
            AdminController,
            api,
            *CHALLENGE_ROUTES,
            *SEARCH_ROUTES,
            healthz,
            static,
        ],
        guards=[require_sign_in],
        before_request=check_request,
        request_class=VonkRequest,
        exception_handlers=EXCEPTION_HANDLERS,
        template_config=template_config(),
        openapi_config=OpenAPIConfig(
            title="Vonk API",
            version=API_VERSION,
            description="The JSON API of Vonk. Authenticate with a session cookie (plus the "
            "X-CSRFToken header on writes) or a personal access token (Authorization: Bearer).",
            path="/schema",
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
        ),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        request_max_body_size=settings.max_body_bytes,
        multipart_form_part_limit=50,
        debug=False,
    )
    app.asgi_handler = VonkMiddleware(app.asgi_handler, settings)
    app.state.settings = settings
    return app
