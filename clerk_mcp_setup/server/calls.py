"""One tool call from request to result: validate, confirm if irreversible, run, sanitise, audit.

Both transports (stdio and HTTP) come through here, so read-only, confirmation and audit behave the same
whoever the client is.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import mcp_types as types
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from clerk_mcp_setup.server.api import ClerkAPIError
from clerk_mcp_setup.server.approval import ApprovalPage
from clerk_mcp_setup.server.audit import AuditLog, mask_args
from clerk_mcp_setup.server.catalog import Tool
from clerk_mcp_setup.server.confirm import ConfirmMode, StateSigner, elicitation_schema, needs_confirmation
from clerk_mcp_setup.server.handlers import Runtime, run_tool, split, validate
from clerk_mcp_setup.server.results import redact, scrub_text, strip_private

log = logging.getLogger("clerk_mcp_setup.server")

_HINTS = {
    401: "The secret key was rejected: copy it again from the Clerk Dashboard → API keys.",
    403: "The key lacks permission for this call, or the feature is not enabled on this instance.",
    404: "Nothing has that id: find the right one with a list tool (listUsers, listOrganizations…).",
    422: "Clerk refused the parameters: long_message says which one and why.",
    429: "Rate limited by Clerk: wait retry_after seconds before trying again.",
}


def result(
    data: Any, *, is_error: bool = False, meta: dict[str, Any] | None = None, secrets: tuple[str, ...] = ()
) -> types.CallToolResult:
    """Structured content plus the same as compact JSON text; any secret found in it is redacted first.

    Serialising once and searching the text is much cheaper than walking every result for a key that is
    almost never there.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if any(secret and secret in text for secret in secrets):
        data = redact(data, secrets)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    structured = data if isinstance(data, dict) else {"result": data}
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content=structured,
        is_error=is_error,
        meta=meta or None,
    )


def error_result(error: ClerkAPIError | dict[str, Any], secrets: tuple[str, ...] = ()) -> types.CallToolResult:
    """A tool error the agent can act on: Clerk's code and messages plus what to do about it."""
    body = strip_private(error.to_dict() if isinstance(error, ClerkAPIError) else dict(error))
    hint = body.get("hint") or _HINTS.get(body.get("status") or 0)
    if hint:
        body["hint"] = hint
    return result({"error": redact({k: v for k, v in body.items() if v is not None}, secrets)}, is_error=True)


@dataclass
class Policy:
    """What every call obeys, fixed when the server starts."""

    confirm: ConfirmMode
    states: StateSigner
    audit: AuditLog
    allow_private_metadata: bool = False
    secrets: tuple[str, ...] = ()
    approver: ApprovalPage | None = None  # stdio only: the page a person answers on when the client cannot ask


@dataclass
class Caller:
    """Who is calling, for the audit line, and how to ask them (elicitation, in either protocol era)."""

    session: Any = None
    request_id: Any = None
    name: str | None = None
    version: str | None = None
    protocol: str = ""
    input_responses: dict[str, Any] | None = None
    request_state: str | None = None
    agent: str | None = None
    via: str | None = None  # the @discover caller (callClerkRead/callClerkWrite) the inner tool came through

    def again(self, tool: Tool) -> str:
        """How the model calls this tool again: directly, or through the same @discover caller."""
        return f"{self.via} with name {tool.name}" if self.via else tool.name

    @classmethod
    def from_context(cls, ctx: Any, params: Any = None) -> Caller:
        session = getattr(ctx, "session", None)
        client = getattr(session, "client_params", None) if session is not None else None
        info = getattr(client, "client_info", None)
        return cls(
            session,
            getattr(ctx, "request_id", None),
            getattr(info, "name", None),
            getattr(info, "version", None),
            str(getattr(ctx, "protocol_version", "") or ""),
            getattr(params, "input_responses", None),
            getattr(params, "request_state", None),
        )

    @property
    def modern(self) -> bool:
        """2026-07-28 and later: the server asks through an `input_required` result, not a request of its own."""
        return self.protocol in MODERN_PROTOCOL_VERSIONS

    def can_elicit(self) -> bool:
        caps = getattr(self.session, "client_capabilities", None)
        if caps is None or getattr(caps, "elicitation", None) is None:
            return False
        return self.modern or bool(getattr(self.session, "can_send_request", False))


async def preview(rt: Runtime, tool: Tool, args: dict[str, Any]) -> str:
    """What the call will affect, in words a person can check (names and emails, not just ids)."""
    path, _, body = split(tool, args)
    lines = [f"{tool.title} ({tool.name}) — {tool.risk}: {tool.description}"]
    for name, value in path.items():
        lines.append(await _describe(rt, name, value))
    shown = {k: ("[masked]" if k.endswith("metadata") else v) for k, v in body.items()}
    if shown:
        lines.append("with " + json.dumps(shown, ensure_ascii=False)[:300])
    return "\n".join(lines)


async def _describe(rt: Runtime, name: str, value: Any) -> str:
    try:
        if name == "user_id":
            user = await rt.request("GET", "/users/{user_id}", path_params={"user_id": value})
            emails = [e.get("email_address") for e in user.get("email_addresses") or [] if isinstance(e, dict)]
            full = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or user.get("username")
            return f"user {full or '(no name)'} <{', '.join(e for e in emails if e) or 'no email'}> ({value})"
        if name == "organization_id":
            org = await rt.request("GET", "/organizations/{organization_id}", path_params={"organization_id": value})
            return f"organization {org.get('name')} ({org.get('slug')}, {org.get('id')})"
    except ClerkAPIError as exc:
        return f"{name} {value} (could not be looked up: {exc.message})"
    return f"{name} {value}"


async def handle(
    rt: Runtime, tool: Tool, raw_args: dict[str, Any], policy: Policy, caller: Caller
) -> types.CallToolResult:
    """The whole life of one call, with its audit line written whatever happens."""
    started = time.perf_counter()
    secret_params = {p.name for p in tool.params if getattr(p, "secret", False)}
    audit: dict[str, Any] = {
        "tool": tool.name,
        "risk": tool.risk,
        "arguments": mask_args({k: ("[masked]" if k in secret_params else v) for k, v in raw_args.items()}),
        "client": {
            k: v for k, v in {"name": caller.name, "version": caller.version, "agent": caller.agent}.items() if v
        },
        "user": rt.user_id,
        "confirmation": "policy",
    }
    if caller.via:
        audit["via"] = caller.via
    try:
        outcome = await _run(rt, tool, raw_args, policy, caller, audit)
    finally:
        audit["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
        problem = policy.audit.write(audit)
    if problem:
        outcome.meta = {**(outcome.meta or {}), "audit_error": problem}
    return outcome


async def _run(
    rt: Runtime, tool: Tool, raw_args: dict[str, Any], policy: Policy, caller: Caller, audit: dict[str, Any]
) -> types.CallToolResult:
    try:
        asks = needs_confirmation(tool, policy.confirm)
        args = validate(tool, raw_args)
        if asks:
            held = await _confirm(rt, tool, args, raw_args, policy, caller, audit)
            if held is not None:
                return held
        data = await run_tool(rt, tool, args, validated=True)
    except ClerkAPIError as exc:
        audit.update(status=exc.status or exc.code, clerk_trace_id=exc.clerk_trace_id)
        return error_result(exc, policy.secrets)
    except Exception as exc:  # a bug of ours: report it without a traceback full of locals
        log.error("tool %s failed: %s", tool.name, redact(repr(exc), policy.secrets))
        audit["status"] = "internal_error"
        return error_result(
            {
                "code": "internal_error",
                "message": f"{tool.name} failed inside the server: {type(exc).__name__}.",
                "hint": "Please report this; the server's stderr has details.",
            },
            policy.secrets,
        )
    audit["status"] = "ok"
    if not policy.allow_private_metadata:
        data = scrub_text(data) if isinstance(data, str) else strip_private(data)
    return result(data, secrets=policy.secrets)


def _after_answer(answer: Any, audit: dict[str, Any], summary: str) -> types.CallToolResult | None:
    """An elicitation answer: go ahead on an explicit yes, otherwise report the call as declined."""
    content = getattr(answer, "content", None) or {}
    accepted = getattr(answer, "action", None) == "accept" and bool(content.get("confirm"))
    audit["confirmation"] = "person-in-client" if accepted else "declined"
    if accepted:
        return None
    audit["status"] = "declined"
    return result(
        {"declined": True, "message": "The person declined; nothing was changed.", "preview": summary or None}
    )


def _refusal(tool: Tool, audit: dict[str, Any], why: str) -> types.CallToolResult:
    """No person could be asked: the call is not run, and the message names every way to enable it."""
    audit["confirmation"], audit["status"] = "refused", "refused"
    return error_result(
        {
            "code": "confirmation_unavailable",
            "message": f"Not run: {tool.name} is {tool.risk} and needs a person's yes, but {why}.",
            "hint": "Ways to enable it: use an MCP client that supports elicitation (it asks the person); or run the "
            "server over stdio where a browser can open its approval page (set $BROWSER, drop --no-browser); or, "
            "if the operator accepts that the model's calls run unconfirmed, start the server with --confirm none.",
        }
    )


async def _on_page(
    rt: Runtime, tool: Tool, args: dict[str, Any], policy: Policy, audit: dict[str, Any], summary: str
) -> types.CallToolResult | None:
    """Ask on the approval page; None to go ahead."""
    assert policy.approver is not None
    title = f"{tool.title} ({tool.name}) — {tool.risk}"
    decision = await policy.approver.ask(title, summary, audit["arguments"])
    if decision == "approved":
        audit["confirmation"] = "person-on-approval-page"
        return None
    if decision == "no-browser":
        return _refusal(tool, audit, "the client cannot ask (no elicitation) and no browser could be opened")
    audit["confirmation"] = audit["status"] = "declined" if decision == "denied" else "timed-out"
    message = (
        "The person denied it on the approval page; nothing was changed."
        if decision == "denied"
        else f"No answer on the approval page within {policy.approver.timeout:g} s; nothing was changed."
    )
    return result({"declined": True, "reason": audit["status"], "message": message, "preview": summary})


async def _confirm(
    rt: Runtime,
    tool: Tool,
    args: dict[str, Any],
    raw: dict[str, Any],
    policy: Policy,
    caller: Caller,
    audit: dict[str, Any],
) -> types.CallToolResult | None:
    """None to go ahead; otherwise the result to return instead of running the call."""
    if caller.modern and caller.request_state and caller.input_responses:
        answer = caller.input_responses.get("confirm")
        problem = policy.states.check(caller.request_state, tool.name, args)
        if problem is not None or answer is None:
            audit["confirmation"], audit["status"] = "refused", "refused"
            return error_result(
                {
                    "code": "confirmation_invalid",
                    "message": f"Not run: {problem or 'the answer is missing'}.",
                    "hint": f"Call {caller.again(tool)} again; the person will be asked again.",
                }
            )
        return _after_answer(answer, audit, "")
    can_elicit = caller.can_elicit()
    if not can_elicit and policy.approver is None:
        return _refusal(tool, audit, "this client cannot ask the person (it does not support MCP elicitation)")
    summary = await preview(rt, tool, args)
    message = f"Confirm this change to your Clerk instance:\n{summary}"
    if can_elicit and caller.modern:
        audit["confirmation"], audit["status"] = "asked", "awaiting-confirmation"
        ask = types.ElicitRequest(
            params=types.ElicitRequestFormParams(message=message, requested_schema=elicitation_schema())
        )
        return types.InputRequiredResult(  # type: ignore[return-value]
            input_requests={"confirm": ask},
            request_state=policy.states.issue(tool.name, args),
            result_type="input_required",
        )
    if can_elicit:
        answer = await caller.session.elicit_form(message, elicitation_schema(), related_request_id=caller.request_id)
        return _after_answer(answer, audit, summary)
    return await _on_page(rt, tool, args, policy, audit, summary)
