"""The allocation editor's parts (ui/states/allocation_editor.py), for any state that mixes it in:
the open invoices with an amount to apply to each, the buttons that share the amount out or
clear it, and the summary of what stays as the client's credit."""

import reflex as rx

from billing_app.ui.states.allocation_editor import AllocationRow


def _row(state, row: AllocationRow, index) -> rx.Component:
    amount = rx.input(value=row.apply, on_change=lambda value: state.set_allocation(index, value),
                      input_mode="decimal", placeholder="0.00", width="130px",
                      aria_label="Amount to apply to " + row.number)
    return rx.fragment(
        rx.table.row(
            rx.table.row_header_cell(rx.link(row.number, href=row.href)),
            rx.table.cell(row.due_date),
            rx.table.cell(row.balance, text_align="right"),
            rx.table.cell(amount, justify_items="end"),
            align="center",
        ),
        rx.cond(row.error != "", rx.table.row(rx.table.cell(
            rx.text(row.error, color_scheme="red", size="2", role="alert"), col_span=4))),
    )


def allocation_table(state) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Invoice"),
            rx.table.column_header_cell("Due date"),
            rx.table.column_header_cell("Balance", text_align="right"),
            rx.table.column_header_cell("Amount to apply", text_align="right"),
        )),
        rx.table.body(rx.foreach(state.allocation_rows, lambda row, index: _row(state, row, index))),
        size="1",
        variant="surface",
        width="100%",
    )


def allocation_buttons(state) -> rx.Component:
    return rx.cond(state.allocation_rows.length() > 0, rx.hstack(
        rx.button(rx.icon("list-checks", size=16), "Allocate oldest first", variant="soft", type="button",
                  on_click=state.allocate_oldest_first),
        rx.button("Clear", variant="soft", color_scheme="gray", type="button", on_click=state.clear_allocations),
    ))


def allocation_summary(state, *, mismatch: bool = True) -> rx.Component:
    """Allocated, unallocated (the client's credit), and what is wrong with the allocations;
    mismatch=False when the form says it at its amount field instead."""
    summary = state.allocation_summary
    problems = [state.allocation_error, *([summary.mismatch] if mismatch else [])]
    return rx.vstack(
        rx.hstack(
            rx.text("Allocated ", rx.text.strong(summary.allocated)),
            rx.text("Unallocated ", rx.text.strong(summary.unallocated),
                    rx.text.span(" kept as client credit", color=rx.color("gray", 11))),
            spacing="6",
            wrap="wrap",
        ),
        *[rx.cond(problem != "", rx.text(problem, color_scheme="red", size="2", role="alert"))
          for problem in problems],
        spacing="2",
        width="100%",
        aria_label="Allocation summary",
    )
