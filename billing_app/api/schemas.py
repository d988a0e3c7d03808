"""Request and response shapes of the API that the models do not already define."""

from typing import Annotated, Generic, Literal, TypeVar

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from billing_app.auth.passwords import MIN_PASSWORD_LENGTH
from billing_app.models.inputs import DELIVERABLE_EMAIL
from billing_app.models.users import Role, UserCreate, UserPublic

DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""An id that fits the database's integer columns."""

Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=200)]


def _no_nul(text: str) -> str:
    """PostgreSQL cannot take a NUL character in a search pattern: refuse it here."""
    if "\x00" in text:
        raise ValueError("cannot contain NUL characters.")
    return text


Search = Annotated[str, Query(max_length=200), AfterValidator(_no_nul)]

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a list and the number of rows that match."""

    items: list[Item]
    total: int
    offset: int
    limit: int


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class TokenRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)
    totp_code: str | None = Field(
        default=None, max_length=40, description="For an account with two-factor sign-in: the "
        "current 6-digit code of the authenticator app, or one of its recovery codes.")


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")


class UserCreateRequest(UserCreate):
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"role": {"const": Role.CLIENT.value}}, "required": ["role"]},
        "then": {"properties": {"client_id": {"type": "integer"}}, "required": ["client_id"]}})

    email: EmailStr = Field(description=DELIVERABLE_EMAIL)
    client_id: DbId | None = Field(default=None, description="Required when role is client: "
                                   "the client whose invoices the user sees.")


class UserRoleChange(BaseModel):
    role: Role
    client_id: DbId | None = Field(default=None, description="Required when role is client and "
                                   "the user belongs to no client yet.")


class PasswordReset(BaseModel):
    password: str = Field(max_length=256, json_schema_extra={"minLength": MIN_PASSWORD_LENGTH})


class UserListItem(UserPublic):
    client_name: str | None = None


UserPage = Page[UserListItem]
