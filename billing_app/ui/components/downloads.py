"""Downloads as plain links: Reflex renders <a> as a React Router link, and reloadDocument
hands the click back to the browser, which downloads the file (Content-Disposition:
attachment) instead of the single-page app looking for a page at that path."""

import reflex as rx


def download_anchor(*children, href) -> rx.Component:
    return rx.el.a(*children, href=href, download="", custom_attrs={"reloadDocument": True})


def download_link(label, href, icon: str = "download", **props) -> rx.Component:
    """A download that looks like a button."""
    return rx.button(download_anchor(rx.icon(icon, size=16), label, href=href), as_child=True,
                     variant="soft", **props)
