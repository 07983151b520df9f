"""Query parameters shared by list pages: validated by Litestar, 400 when out of range."""

from typing import Annotated

from litestar.params import QueryParameter

PageParam = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]
SearchParam = Annotated[str, QueryParameter(name="q", max_length=200)]
NextParam = Annotated[str, QueryParameter(name="next", max_length=2000)]
RoleParam = Annotated[str, QueryParameter(name="role", max_length=20)]
ActionParam = Annotated[str, QueryParameter(name="action", max_length=60)]
