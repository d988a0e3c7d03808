import reflex as rx


def stat_card(label: str, value, detail=None) -> rx.Component:
    children = [
        rx.text(label, size="2", color_scheme="gray", weight="medium"),
        rx.heading(value, size="6"),
    ]
    if detail is not None:
        children.append(rx.text(detail, size="1", color_scheme="gray"))
    return rx.card(rx.vstack(*children, spacing="1"), width="100%", aria_label=label)
