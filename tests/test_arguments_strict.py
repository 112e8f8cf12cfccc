"""Arguments are checked before anything reaches Clerk: an unknown name (a mistyped filter that would
otherwise widen a list to every user) or an oversized value is an `invalid_argument` error, and the
sandbox's request log proves nothing was sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from clerk_mcp_setup.server.api import ClerkAPI
from clerk_mcp_setup.server.app import mcp_tool
from clerk_mcp_setup.server.audit import AuditLog
from clerk_mcp_setup.server.calls import Caller, Policy, handle
from clerk_mcp_setup.server.catalog import BY_NAME, CATALOG
from clerk_mcp_setup.server.confirm import StateSigner
from clerk_mcp_setup.server.handlers import MAX_ARGUMENT_BYTES, MAX_CALL_BYTES, Runtime
from clerk_mcp_setup.server.sandbox import create_app
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS

KEY = "sk_test_strictARGS0123456789"


@pytest.fixture
def sandbox() -> Any:
    return create_app(secret_key=KEY)


def runtime(app: Any) -> Runtime:
    api = ClerkAPI(KEY, "http://sandbox.invalid", transport=httpx.ASGITransport(app=app), max_retries=0)
    return Runtime(api=api, user_id=DEMO_IDS["user"])


def policy(tmp_path: Path, confirm: str = "none") -> Policy:
    return Policy(
        confirm=confirm,  # type: ignore[arg-type]
        states=StateSigner(ttl=60),
        audit=AuditLog(str(tmp_path / "audit.jsonl"), (KEY,)),
    )


async def call(app: Any, tmp_path: Path, tool: str, args: dict[str, Any], confirm: str = "none") -> Any:
    out = await handle(runtime(app), BY_NAME[tool], args, policy(tmp_path, confirm), Caller())
    return out


def sent(app: Any) -> list[dict[str, Any]]:
    return app.state.sandbox.log.entries()


@pytest.mark.parametrize("tool", CATALOG, ids=lambda t: t.name)
def test_every_schema_is_closed(tool: Any) -> None:
    schema = mcp_tool(tool).input_schema
    assert schema["additionalProperties"] is False
    assert set(schema.get("required", [])) <= set(schema["properties"])


async def test_mistyped_filter_is_an_error_not_every_user(sandbox: Any, tmp_path: Path) -> None:
    out = await call(sandbox, tmp_path, "listUsers", {"emailAddresses": ["amara@example.com"]})
    assert out.is_error
    error = out.structured_content["error"]
    assert error["code"] == "invalid_argument"
    assert "'emailAddresses'" in error["message"] and "Did you mean 'emailAddress'?" in error["message"]
    assert sent(sandbox) == []
    audit = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert audit[-1]["tool"] == "listUsers" and audit[-1]["status"] == "invalid_argument"


async def test_unknown_argument_on_a_write_sends_nothing(sandbox: Any, tmp_path: Path) -> None:
    out = await call(sandbox, tmp_path, "updateUser", {"userId": DEMO_IDS["user"], "first_name": "X"})
    assert out.is_error and "Did you mean 'firstName'?" in out.structured_content["error"]["message"]
    out = await call(sandbox, tmp_path, "getUserCount", {"zzzz": 1})
    assert out.is_error and "Valid arguments:" in out.structured_content["error"]["message"]
    assert sent(sandbox) == []


async def test_no_argument_confirms_a_call(sandbox: Any, tmp_path: Path) -> None:
    """The old confirmToken is an unknown argument everywhere: a model cannot confirm its own call."""
    for tool in ("getUser", "deleteUser"):
        out = await call(sandbox, tmp_path, tool, {"userId": DEMO_IDS["user"], "confirmToken": "x"}, "destructive")
        assert out.is_error and out.structured_content["error"]["code"] == "invalid_argument"
    assert "confirmToken" not in mcp_tool(BY_NAME["deleteUser"], "destructive").input_schema["properties"]
    assert sent(sandbox) == []


async def test_valid_arguments_still_work(sandbox: Any, tmp_path: Path) -> None:
    out = await call(sandbox, tmp_path, "listUsers", {"limit": 2})
    assert not out.is_error and len(out.structured_content["items"]) == 2


async def test_oversized_argument_is_refused_before_clerk(sandbox: Any, tmp_path: Path) -> None:
    huge = {"blob": "x" * (MAX_ARGUMENT_BYTES + 1)}
    out = await call(sandbox, tmp_path, "updateUserPublicMetadata", {"userId": DEMO_IDS["user"], "metadata": huge})
    error = out.structured_content["error"]
    assert out.is_error and error["code"] == "invalid_argument" and "metadata is larger than 64 KiB" in error["message"]
    just_under = {"blob": "x" * (MAX_ARGUMENT_BYTES - 100)}
    ok = await call(sandbox, tmp_path, "updateUserPublicMetadata", {"userId": DEMO_IDS["user"], "metadata": just_under})
    assert len(sent(sandbox)) >= 1
    assert not (ok.is_error and ok.structured_content["error"]["code"] == "invalid_argument")


async def test_oversized_call_is_refused_and_the_audit_line_stays_small(sandbox: Any, tmp_path: Path) -> None:
    chunk = "y" * (MAX_ARGUMENT_BYTES - 1000)
    names = ("username", "firstName", "lastName", "externalId", "unsafeMetadata")
    args: dict[str, Any] = {n: chunk for n in names[:4]} | {"unsafeMetadata": {"note": chunk}}
    assert all(len(json.dumps(v)) < MAX_ARGUMENT_BYTES for v in args.values())
    assert len(json.dumps(args)) > MAX_CALL_BYTES
    out = await call(sandbox, tmp_path, "createUser", args)
    error = out.structured_content["error"]
    assert out.is_error and error["code"] == "invalid_argument"
    assert "arguments are larger than 256 KiB" in error["message"]
    one = await call(sandbox, tmp_path, "listUsers", {"emailAddress": [chunk] * 2})
    assert one.is_error and "emailAddress is larger than" in one.structured_content["error"]["message"]
    assert sent(sandbox) == []
    line = (tmp_path / "audit.jsonl").read_text().splitlines()[-2]
    assert len(line) < 10_000, len(line)
    record = json.loads(line)
    assert record["arguments"]["firstName"].endswith(f"[{len(chunk)} characters]")
    assert record["arguments"]["firstName"].startswith("yyyy")


def test_audit_masking_bounds_every_level() -> None:
    from clerk_mcp_setup.server.audit import MAX_ITEMS, MAX_TEXT, mask_args

    masked = mask_args(
        {
            "ids": [f"user_{i}" for i in range(MAX_ITEMS + 25)],
            "metadata": {f"k{i}": i for i in range(MAX_ITEMS + 3)},
            "note": "z" * (MAX_TEXT * 5) + " sk_live_tailKEY123",
            "first": "sk_live_headKEY123 " + "z" * (MAX_TEXT * 2),
        }
    )
    assert len(masked["ids"]) == MAX_ITEMS + 1 and masked["ids"][-1] == "[25 more items]"
    assert len(masked["metadata"]) == MAX_ITEMS + 1 and masked["metadata"]["…"] == "[3 more keys]"
    assert masked["note"].endswith(f"…[{MAX_TEXT * 5 + 19} characters]") and "tailKEY" not in masked["note"]
    assert masked["first"].startswith("[masked] ") and "headKEY" not in masked["first"]
