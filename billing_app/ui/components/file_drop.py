import reflex as rx


def file_drop(upload_id: str, *, icon: str, prompt: str, limits: str, accept: dict[str, list[str]],
              max_size: int, on_drop_rejected, error, aria_label: str) -> rx.Component:
    """A zone to drop or choose one file, the name of the file chosen, and why the last choice
    was refused (a new choice replaces that message). The browser refuses files of another
    type or over max_size before sending them; the server checks them again."""
    chosen = rx.selected_files(upload_id)
    return rx.vstack(
        rx.upload(
            rx.vstack(
                rx.icon(icon, size=24, color=rx.color("gray", 10)),
                rx.text(prompt, size="2"),
                rx.text(limits, size="1", color_scheme="gray"),
                align="center",
                spacing="1",
            ),
            id=upload_id,
            accept=accept,
            multiple=False,
            max_files=1,
            max_size=max_size,
            on_drop_rejected=on_drop_rejected,
            padding="1.5em",
            border=f"1px dashed {rx.color('gray', 8)}",
            border_radius="8px",
            cursor="pointer",
            width="100%",
            aria_label=aria_label,
        ),
        rx.cond(chosen.length() > 0, rx.text("Chosen: ", chosen.join(", "), size="2")),
        rx.cond((error != "") & (chosen.length() == 0), rx.text(error, size="2", color_scheme="red", role="alert")),
        spacing="3",
        width="100%",
    )
