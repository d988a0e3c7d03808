"""The controls above a server-side list: a search box with the list's main action, and filters."""

import reflex as rx

from billing_app.ui.components.form_inputs import check_field
from billing_app.ui.components.forms import ISO_DATE, field, native_select


def filter_field(label: str, control_id: str, control: rx.Component, width: str, error=None) -> rx.Component:
    return rx.box(field(label, control, html_for=control_id, error=error), width=width)


def filter_select(label: str, control_id: str, options: list[tuple[str, str]], value, on_change,
                  width: str) -> rx.Component:
    control = native_select(control_id, control_id, options, value=value, on_change=on_change)
    return filter_field(label, control_id, control, width)


def filter_choice(label: str, control_id: str, options, value, on_change, width: str) -> rx.Component:
    """A select whose options come from a list var of {"id", "label"} dicts, read on the server."""
    control = rx.el.select(
        rx.foreach(options, lambda option: rx.el.option(option["label"], value=option["id"])),
        id=control_id, name=control_id, class_name="native-select", value=value, on_change=on_change,
    )
    return filter_field(label, control_id, control, width)


def filter_check(label: str, control_id: str, checked, on_change) -> rx.Component:
    """A checkbox filter, its box lined up with the inputs' bottom edge."""
    return rx.box(check_field(label, control_id, checked=checked, on_change=on_change), padding_bottom="6px")


def list_toolbar(search_label: str, search_id: str, search: rx.Component, action=None) -> rx.Component:
    """The search box on the left; on the right the list's main action, such as "New invoice"."""
    return rx.hstack(
        filter_field(search_label, search_id, search, "320px"),
        rx.spacer(),
        *([action] if action is not None else []),
        align="end",
        width="100%",
    )


def search_toolbar(label: str, control_id: str, placeholder: str, value, on_search, action=None) -> rx.Component:
    """list_toolbar with its search box, which searches as one types (after a pause)."""
    search = rx.input(id=control_id, placeholder=placeholder, value=value, on_change=on_search.debounce(300),
                      type="search")
    return list_toolbar(label, control_id, search, action)


def date_filter(label: str, control_id: str, value, on_change, error) -> rx.Component:
    control = rx.input(id=control_id, **ISO_DATE, value=value, on_change=on_change)
    return filter_field(label, control_id, control, "150px", error=error)


def date_range(state, id_prefix: str, from_label: str, to_label: str) -> list[rx.Component]:
    """The From and To date filters of a list whose state mixes in ui/states/url_filters.UrlFilters."""

    def one(label: str, name: str) -> rx.Component:
        return date_filter(label, f"{id_prefix}-{name.replace('_', '-')}", getattr(state, name),
                           lambda value: state.set_date(name, value), state.date_errors.get(name, ""))

    return [one(from_label, "date_from"), one(to_label, "date_to")]


def filter_row(*filters: rx.Component) -> rx.Component:
    """The filters under the search box, bottoms aligned, wrapping on narrow screens."""
    return rx.flex(*filters, gap="1em", align="end", wrap="wrap", width="100%")
