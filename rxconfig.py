import reflex as rx
from reflex.constants import StateManagerMode
from reflex.plugins.sitemap import SitemapPlugin

from billing_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="billing_app",
    frontend_port=settings.app_port,
    backend_port=settings.app_port,
    deploy_url=settings.app_url,
    # "localhost" makes the browser reach the backend on whatever host served the page.
    api_url=f"http://localhost:{settings.app_port}",
    # With Redis every web worker and replica serves any tab; without it one process keeps them
    # in memory (Reflex's default, disk, writes every tab's state to a file every 2 s and scans
    # every file for expiry as often: a tenth of a loaded process's time. A restart then only
    # reloads the open pages; the sign-in is a cookie).
    redis_url=settings.web_state_redis_url,
    state_manager_mode=StateManagerMode.REDIS if settings.web_state_redis_url else StateManagerMode.MEMORY,
    telemetry_enabled=False,
    cors_allowed_origins=[settings.app_url],
    show_built_with_reflex=False,
    disable_plugins=[SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="light", accent_color="indigo", gray_color="slate", radius="medium")
        )
    ],
)
