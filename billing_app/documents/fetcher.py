"""What WeasyPrint may load while it renders: the app's assets, the stored logo, data: URLs.

Everything a document prints comes from the database, and the database holds text typed by
clients and staff. The templates escape it, and this fetcher is the second wall: any other
URL (another file, http:, an internal address) is refused without being opened.
"""

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from billing_app.services.logo import UPLOADS
from billing_app.settings import PROJECT_ROOT, get_settings

ASSETS = PROJECT_ROOT / "assets"
_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
          ".svg": "image/svg+xml", ".css": "text/css", ".ico": "image/x-icon"}


class RefusedURL(ValueError):
    """A document asked for something it may not load."""


@lru_cache(maxsize=16)
def _file_bytes(path: Path, _mtime_ns: int) -> bytes:
    """Files are few and small (logo, assets); the logo's name changes with its content."""
    return path.read_bytes()


def _allowed_file(url: str) -> Path | None:
    """The local file behind a file: URL if it is an asset or a stored logo, else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    uploads = (get_settings().data_dir / UPLOADS).resolve()
    is_logo = path.parent == uploads and path.name.startswith("logo-")
    if not (is_logo or path.is_relative_to(ASSETS.resolve())) or not path.is_file():
        return None
    return path


class DocumentFetcher(URLFetcher):
    """Serves data: URLs, the assets folder and the stored logo; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _allowed_file(url)
        if path is None:
            raise RefusedURL(f"Documents may not load {url[:200]!r}.")
        return URLFetcherResponse(url, _file_bytes(path, path.stat().st_mtime_ns),
                                  {"Content-Type": _TYPES.get(path.suffix.lower(),
                                                              "application/octet-stream")})
