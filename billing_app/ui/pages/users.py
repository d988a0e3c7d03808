import reflex as rx

from billing_app.models.users import Role
from billing_app.ui import routes
from billing_app.ui.components.forms import field, form_error, native_select, required_note, text_input
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.users import UsersState

ROLE_OPTIONS = [(r.value, r.value.title()) for r in Role]


def _field_error(name: str):
    return UsersState.create_field_errors.get(name, "")


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), "New user", on_click=UsersState.open_create)),
        rx.dialog.content(
            rx.dialog.title("New user"),
            rx.form(
                rx.vstack(
                    required_note(),
                    form_error(UsersState.create_error),
                    field("Full name", text_input("new-user-name", "name", required=True),
                          html_for="new-user-name", error=_field_error("name"), required=True),
                    field("Email", text_input("new-user-email", "email", type="email", required=True),
                          html_for="new-user-email", error=_field_error("email"), required=True),
                    field("Role", native_select("new-user-role", "role", ROLE_OPTIONS,
                                                value=UsersState.create_role,
                                                on_change=UsersState.set_create_role),
                          html_for="new-user-role", error=_field_error("role")),
                    rx.cond(
                        UsersState.create_role == Role.CLIENT.value,
                        field(
                            "Client company",
                            rx.el.select(
                                rx.el.option("Choose a client…", value=""),
                                rx.foreach(UsersState.client_choices,
                                           lambda c: rx.el.option(c["name"], value=c["id"])),
                                id="new-user-client", name="client_id", class_name="native-select",
                            ),
                            html_for="new-user-client",
                            error=_field_error("client_id"),
                        ),
                    ),
                    field("Phone (optional)", text_input("new-user-phone", "phone"), html_for="new-user-phone"),
                    field("Initial password", text_input("new-user-password", "password", type="password",
                                                         required=True),
                          html_for="new-user-password", error=_field_error("password"),
                          hint="At least 12 characters.", required=True),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Create user", type="submit"),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=UsersState.create_user,
                reset_on_submit=False,
            ),
            max_width="480px",
        ),
        open=UsersState.create_open,
        on_open_change=UsersState.set_create_open,
    )


def _reset_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reset password"),
            rx.dialog.description("Set a new password for ", UsersState.reset_user_name,
                                  ". Their open sessions end."),
            rx.form(
                rx.vstack(
                    form_error(UsersState.reset_error),
                    field("New password", text_input("reset-password", "password", type="password",
                                                     required=True),
                          html_for="reset-password", hint="At least 12 characters."),
                    rx.hstack(
                        rx.button("Cancel", variant="soft", color_scheme="gray", type="button",
                                  on_click=UsersState.close_reset),
                        rx.button("Set password", type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=UsersState.reset_password,
            ),
            max_width="420px",
        ),
        open=UsersState.reset_user_id != 0,
        on_open_change=UsersState.set_reset_open,
    )


def _confirm_dialog() -> rx.Component:
    """Role changes and (de)activations take effect once confirmed here."""
    pending = UsersState.pending
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Please confirm"),
            rx.alert_dialog.description(pending["question"]),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button(pending["confirm"], on_click=UsersState.confirm_pending)),
                justify="end", spacing="3", padding_top="1em",
            ),
        ),
        open=pending.contains("action"),
        on_open_change=UsersState.set_pending_open,
    )


def _row(user: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(user["name"]),
        rx.table.cell(user["email"]),
        rx.table.cell(
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in ROLE_OPTIONS],
                value=user["role"],
                on_change=lambda role: UsersState.ask_role(user["id"], role),
                aria_label="Role of " + user["email"],
                class_name="native-select",
            )
        ),
        rx.table.cell(user["client"]),
        rx.table.cell(
            rx.cond(user["active"] == "yes",
                    rx.badge("Active", color_scheme="green"),
                    rx.badge("Deactivated", color_scheme="gray"))
        ),
        rx.table.cell(user["last_login"]),
        rx.table.cell(
            rx.hstack(
                rx.button("Reset password", size="1", variant="soft",
                          on_click=UsersState.open_reset(user["id"], user["name"])),
                rx.cond(
                    user["active"] == "yes",
                    rx.button("Deactivate", size="1", variant="soft", color_scheme="red",
                              on_click=UsersState.ask_active(user["id"], False)),
                    rx.button("Activate", size="1", variant="soft", color_scheme="green",
                              on_click=UsersState.ask_active(user["id"], True)),
                ),
            )
        ),
    )


@private_page(routes.USERS, on_load=[UsersState.load])
def users_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.box(
                rx.el.label("Search users", html_for="user-search", class_name="field-label"),
                rx.input(id="user-search", placeholder="Name or email", value=UsersState.search,
                         on_change=UsersState.set_search.debounce(300), width="280px"),
            ),
            rx.spacer(),
            _create_dialog(),
            width="100%",
            align="end",
        ),
        data_table(
            ["Name", "Email", "Role", "Client", "Status", "Last sign-in", "Actions"],
            UsersState.rows,
            _row,
            empty_text="No users match your search.",
            loading=UsersState.loading,
        ),
        pager(UsersState.page_label, UsersState.has_previous, UsersState.has_next,
              UsersState.previous_page, UsersState.next_page),
        _reset_dialog(),
        _confirm_dialog(),
        spacing="4",
        width="100%",
    )
