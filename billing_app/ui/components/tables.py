import reflex as rx


def data_table(headers: list[str], rows, render_row, *, empty_text: str, loading=None) -> rx.Component:
    """A table with a header row, one rendered row per item, and an empty state."""
    table = rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, render_row)),
        variant="surface",
        width="100%",
    )
    empty = rx.center(
        rx.vstack(
            rx.icon("inbox", size=28, color=rx.color("gray", 9)),
            rx.text(empty_text, color_scheme="gray"),
            align="center",
        ),
        padding="2em",
        width="100%",
        class_name="empty-state",
    )
    content = rx.cond(rows.length() > 0, table, empty)
    if loading is not None:
        content = rx.cond(loading, rx.center(rx.spinner(size="3"), padding="2em", width="100%"), content)
    return content


def pager(page_label, has_previous, has_next, on_previous, on_next) -> rx.Component:
    return rx.hstack(
        rx.text(page_label, size="2", color_scheme="gray"),
        rx.spacer(),
        rx.button("Previous page", on_click=on_previous, disabled=~has_previous, variant="soft"),
        rx.button("Next page", on_click=on_next, disabled=~has_next, variant="soft"),
        width="100%",
        align="center",
    )


def clipped(value, *, href=None, width: str = "24em", **props) -> rx.Component:
    """Text that keeps its column narrow: cut with an ellipsis, the whole of it in the tooltip."""
    if href is not None:
        return rx.link(value, href=href, title=value, class_name="clipped", max_width=width, **props)
    return rx.text(value, as_="span", title=value, class_name="clipped", max_width=width, **props)


def text_cell(value, *, href=None, width: str = "24em", header: bool = False, **props) -> rx.Component:
    """A table cell of text: long text is clipped (see `clipped`); `header` names the row."""
    cell = rx.table.row_header_cell if header else rx.table.cell
    return cell(clipped(value, href=href, width=width), **props)


def text_row(item, keys: list[str], *, header: str, right: tuple[str, ...] = ()) -> rx.Component:
    """A row of plain text cells from a dict var: `header` names the row, `right` keys (money) align right."""
    return rx.table.row(*[
        text_cell(item[key], header=key == header, **({"text_align": "right"} if key in right else {}))
        for key in keys
    ])
