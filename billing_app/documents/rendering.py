"""HTML to PDF: one Jinja environment, one font configuration and one parsed stylesheet,
made on first use and reused by every render in the process (fonts and CSS are the slow part
of a small document)."""

import atexit
import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from billing_app.documents.fetcher import ASSETS, DocumentFetcher

STYLESHEET = "documents.css"
BASE_URL = ASSETS.as_uri() + "/"
"""Relative URLs in a document point into the assets folder, the one place it may read."""

_render_lock = threading.Lock()  # Pango's font map is shared; renders take turns


@cache
def environment() -> Environment:
    """Autoescaping always on: every value printed comes from someone's typing."""
    return Environment(loader=PackageLoader("billing_app.documents", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def stylesheet() -> CSS:
    css = files("billing_app.documents").joinpath("templates", STYLESHEET).read_text("utf-8")
    return CSS(string=css, font_config=font_config(), url_fetcher=DocumentFetcher(),
               base_url=BASE_URL)


@atexit.register
def _release_fonts() -> None:
    """Free the shared fonts while Pango is still loaded: left to the interpreter's teardown,
    their finalisers can run after the libraries are gone and crash the process on exit."""
    stylesheet.cache_clear()
    font_config.cache_clear()


def render_html(template: str, context: dict) -> str:
    return environment().get_template(template).render(**context)


def html_to_pdf(html: str, *, fetcher: DocumentFetcher | None = None) -> bytes:
    """The PDF of `html` with the document stylesheet; `fetcher` lets a test watch the URLs."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or DocumentFetcher())
    with _render_lock:
        return document.write_pdf(stylesheets=[stylesheet()], font_config=font_config())


@dataclass(frozen=True)
class RenderedDocument:
    filename: str
    content: bytes
    media_type: str = "application/pdf"


def safe_filename(*parts: str) -> str:
    """"invoice-INV-2026-00001.pdf": letters, digits, dots and dashes only, for any number
    pattern (a slash in a number must not become a folder in someone's download)."""
    stem = "-".join(re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") for part in parts)
    return f"{stem or 'document'}.pdf"
