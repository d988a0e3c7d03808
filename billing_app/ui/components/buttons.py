import reflex as rx


def link_button(label: str, href, icon: str | None = None, **props) -> rx.Component:
    """A link that looks like a button: it goes somewhere, so it stays a link for screen readers."""
    children = [rx.icon(icon, size=16)] if icon else []
    return rx.button(rx.link(*children, label, href=href, underline="none"), as_child=True, **props)
