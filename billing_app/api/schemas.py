"""Request and response shapes of the API that the models do not already define."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from billing_app.models.users import Role, UserCreate, UserPublic

DbId = Annotated[int, Field(ge=1, le=2**31 - 1)]
"""An id that fits the database's integer columns."""


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


class TokenRequest(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(max_length=4096)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")


class UserCreateRequest(UserCreate):
    client_id: DbId | None = None


class UserRoleChange(BaseModel):
    role: Role
    client_id: DbId | None = Field(default=None, description="Required when role is client.")


class PasswordReset(BaseModel):
    password: str = Field(max_length=256)


class UserListItem(UserPublic):
    client_name: str | None = None


class UserPage(BaseModel):
    items: list[UserListItem]
    total: int
    offset: int
    limit: int
