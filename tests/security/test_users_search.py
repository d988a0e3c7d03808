"""The users search takes % and _ literally (LIKE wildcards are escaped)."""

from billing_app.queries.users import users_page
from billing_app.services.users import user_create
from billing_app.models.users import Role
from tests.support.factories import PASSWORD


def _user(db, admin, name: str, email: str):
    return user_create(db, actor=admin, email=email, name=name, role=Role.VIEWER, password=PASSWORD)


def test_wildcards_in_the_users_search_match_only_themselves(db, admin):
    percent = _user(db, admin, "Growth 100% Ltd", "growth@example.com")
    underscore = _user(db, admin, "Plain Name", "first_last@example.com")
    _user(db, admin, "Firstxlast", "firstxlast@example.com")

    def found(search: str) -> list[int]:
        rows, _total = users_page(db, actor=admin, search=search)
        return [user.id for user, _client in rows]

    assert found("%") == [percent.id]
    assert found("first_last") == [underscore.id]
    assert found("_") == [underscore.id]
