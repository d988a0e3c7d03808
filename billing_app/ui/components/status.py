import reflex as rx

STATUS_COLORS = {
    "draft": "gray",
    "issued": "cyan",
    "sent": "blue",
    "partially_paid": "amber",
    "paid": "green",
    "overdue": "red",
    "cancelled": "gray",
}


def status_badge(status, label) -> rx.Component:
    return rx.match(
        status,
        *[(key, rx.badge(label, color_scheme=color, variant="soft")) for key, color in STATUS_COLORS.items()],
        rx.badge(label, variant="soft"),
    )
