"""The application's route table as plain data: every path, method and the permission
it declares. The authorisation tests are generated from it, so no route is forgotten."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from samfard.access.deps import Public, Require
from samfard.access.permissions import Permission


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    declarations: tuple[Require | Public, ...]

    @property
    def permission(self) -> Permission | None:
        """The declared permission, or None for a public route."""
        for declaration in self.declarations:
            if isinstance(declaration, Require):
                return declaration.permission
        return None


def _declarations(dependant: Any) -> tuple[Require | Public, ...]:
    """The permission declarations a route's dependencies reach, each once: one object
    reached twice (a route's `actor` and a check of its own that reads the same actor)
    is one declaration, which FastAPI runs once per request (its dependency cache)."""
    found: list[Require | Public] = []
    stack = list(dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if isinstance(dependency.call, Require | Public) and not any(
            dependency.call is seen for seen in found
        ):
            found.append(dependency.call)
        stack.extend(dependency.dependencies)
    return tuple(found)


def _walk(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):  # routers included with a prefix
            yield from route.effective_route_contexts()


def api_routes(app: FastAPI) -> list[RouteInfo]:
    return [
        RouteInfo(
            path=route.path,
            methods=frozenset(route.methods),
            declarations=_declarations(route.dependant),
        )
        for route in _walk(app.routes)
    ]


def document_paths(app: FastAPI) -> set[str]:
    """Paths that are not API routes (the OpenAPI document and its viewer)."""
    return {
        getattr(route, "path", "?")
        for route in app.routes
        if not isinstance(route, APIRoute) and not hasattr(route, "effective_route_contexts")
    }
