"""A local fake of Clerk's Backend API with demo data, for `clerk-mcp-server --demo` and the tests.

`create_app()` returns an ASGI app serving the Backend API operations in `routes.ROUTES` under
`/v1`, with Clerk's response shapes and error envelope, plus test controls under `/__sandbox/`.
`serve.running_sandbox()` runs one over real HTTP. Nothing here imports `mcp`, so it stays light.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Route

from .dispatch import SandboxEndpoint, SandboxState
from .routes import ROUTES, RouteInfo
from .seed import DEMO_IDS

__all__ = ["DEMO_IDS", "ROUTES", "RouteInfo", "SandboxState", "create_app"]


def create_app(*, secret_key: str | None = None, seed: bool = True) -> Starlette:
    """A sandbox app. With `secret_key=None` any `sk_test_…`/`sk_live_…` bearer is accepted.

    `seed=False` starts empty (and `POST /__sandbox/reset` keeps it empty). The app's state is at
    `app.state.sandbox` (a `SandboxState`) for tests that want to reach in.
    """
    state = SandboxState(secret_key=secret_key, seeded=seed)
    app = Starlette(routes=[Route("/{path:path}", SandboxEndpoint(state))])
    app.state.sandbox = state
    return app
