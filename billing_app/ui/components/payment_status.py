import reflex as rx

PAYMENT_STATUS_COLORS = (("completed", "green"), ("refunded", "amber"), ("void", "gray"),
                         ("returned", "red"))


def payment_status_badge(status, label) -> rx.Component:
    """Completed green, refunded amber, void grey, returned by the bank red."""
    return rx.badge(label, color_scheme=rx.match(status, *PAYMENT_STATUS_COLORS, "gray"), variant="soft")
