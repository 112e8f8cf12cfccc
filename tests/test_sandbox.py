"""The sandbox's behaviour: auth, raw-path routing, faults, the request log, and each operation's rules."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from clerk_mcp_setup.server.sandbox import create_app
from clerk_mcp_setup.server.sandbox.seed import DEMO_IDS, ORGANIZATION_COUNT, PRIVATE_MARKER, USER_COUNT
from clerk_mcp_setup.server.sandbox.serve import running_sandbox

KEY = "sk_test_sandboxTESTS123"
AUTH = {"Authorization": f"Bearer {KEY}"}
USER = DEMO_IDS["user"]
ORG = DEMO_IDS["organization"]
MEMBER = DEMO_IDS["member_user"]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as c:
        yield c


def clerk_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert Clerk's error envelope with this status and code; return the error."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"errors", "clerk_trace_id"} and body["clerk_trace_id"]
    (error,) = body["errors"]
    assert set(error) == {"code", "message", "long_message", "meta"}
    assert error["code"] == code, error
    assert error["message"] and error["long_message"]
    return error


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


async def user_ids(client: httpx.AsyncClient, **query: Any) -> list[str]:
    return [u["id"] for u in ok(await client.get("/v1/users", params={"limit": 500, **query}))]


# --- authentication -----------------------------------------------------------------------------


async def test_missing_and_malformed_authorization(client: httpx.AsyncClient) -> None:
    clerk_error(await client.get("/v1/users", headers={"Authorization": ""}), 401, "authorization_header_missing")
    for value in ("Basic abc", "Bearer", "Bearer   "):
        response = await client.get("/v1/users", headers={"Authorization": value})
        clerk_error(response, 401, "authorization_header_format_invalid")
    response = await client.get("/v1/users", headers={"Authorization": "Bearer not-a-clerk-key"})
    clerk_error(response, 401, "clerk_key_invalid")


async def test_a_fixed_key_accepts_only_itself() -> None:
    transport = httpx.ASGITransport(app=create_app(secret_key=KEY))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as c:
        wrong = await c.get("/v1/users/count", headers={"Authorization": "Bearer sk_test_otherKEY42"})
        clerk_error(wrong, 401, "clerk_key_invalid")
        assert "otherKEY42" not in wrong.text
        assert ok(await c.get("/v1/users/count", headers=AUTH))["total_count"] == USER_COUNT


async def test_keys_are_never_echoed(client: httpx.AsyncClient) -> None:
    """The bearer key appears in no answer and no log entry; key-shaped input is redacted in errors."""
    leaky = "sk_test_leakCHECK999"
    headers = {"Authorization": f"Bearer {leaky}"}
    texts = [
        (await client.get("/v1/users/user_nope", headers=headers)).text,
        (await client.get("/v1/users", params={"limit": 0}, headers=headers)).text,
        (await client.get("/v1/users", params={"order_by": KEY})).text,
        (await client.post("/v1/invitations", json={"email_address": KEY})).text,
        (await client.get("/__sandbox/requests")).text,
    ]
    assert all(leaky not in text for text in texts[:2] + texts[-1:]), texts
    assert all(KEY not in text for text in texts[2:4]), texts
    assert "[redacted]" in texts[2]


# --- routing on the raw path --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "long_message"),
    [
        ("/v1/users/..%2Forganizations", "Resource not found"),
        ("/v1/users/%2e%2e", "Resource not found"),
        ("/v1/users/user_2demoAmara%2Fmetadata", "Resource not found"),
        ("/v1/organizations%2Forg_2demoAcme", "The URL was not found"),
        ("/v1/users/user_2demoAmara/nothing", "The URL was not found"),
        ("/users", "The URL was not found"),
        ("/v1/%FF", "The URL was not found"),
    ],
)
async def test_encoded_paths_never_reach_another_route(client: httpx.AsyncClient, path: str, long_message: str) -> None:
    error = clerk_error(await client.get(path), 404, "resource_not_found")
    assert error["long_message"] == long_message
    (entry,) = ok(await client.get("/__sandbox/requests"))
    assert entry["path"] == path and entry["status"] == 404


async def test_literal_segments_win_and_trailing_slash_is_tolerated(client: httpx.AsyncClient) -> None:
    assert ok(await client.get("/v1/users/count"))["object"] == "total_count"
    assert ok(await client.get(f"/v1/users/{USER}/"))["id"] == USER
    clerk_error(await client.put(f"/v1/users/{USER}", json={}), 404, "resource_not_found")


async def test_controls_are_not_reachable_by_encoding(client: httpx.AsyncClient) -> None:
    ok(await client.delete(f"/v1/users/{USER}"))
    clerk_error(
        await client.post("/__sandbox%2Freset", headers={"Authorization": ""}), 401, "authorization_header_missing"
    )
    clerk_error(await client.post("/__sandbox%2Freset"), 404, "resource_not_found")
    clerk_error(await client.get(f"/v1/users/{USER}"), 404, "resource_not_found")
    clerk_error(await client.get("/__sandbox/nothing"), 404, "resource_not_found")


# --- controls: faults, log, reset ---------------------------------------------------------------


async def test_rate_limit_fault_with_retry_after_then_recovery(client: httpx.AsyncClient) -> None:
    fault = ok(await client.post("/__sandbox/faults", json={"status": 429, "count": 2, "retry_after": 7}))
    assert fault["remaining"] == 2
    for _ in range(2):
        response = await client.get("/v1/users/count")
        clerk_error(response, 429, "too_many_requests")
        assert response.headers["retry-after"] == "7"
    assert ok(await client.get("/v1/users/count"))["total_count"] == USER_COUNT
    assert ok(await client.get("/__sandbox/faults")) == []


async def test_fault_path_prefix_and_server_errors(client: httpx.AsyncClient) -> None:
    ok(await client.post("/__sandbox/faults", json={"status": 503, "count": 5, "path": "/v1/organizations"}))
    ok(await client.get("/v1/users"))
    response = await client.get("/v1/organizations")
    clerk_error(response, 503, "internal_clerk_error")
    assert "retry-after" not in response.headers
    assert ok(await client.get("/__sandbox/faults"))[0]["remaining"] == 4
    assert ok(await client.delete("/__sandbox/faults")) == []
    ok(await client.get("/v1/organizations"))
    ok(await client.post("/__sandbox/faults", json={"status": 500}))
    clerk_error(await client.post("/v1/organizations", json={"name": "X"}), 500, "internal_clerk_error")
    assert "X" not in [o["name"] for o in ok(await client.get("/v1/organizations"))["data"]]


async def test_delay_alone_is_a_slow_success(client: httpx.AsyncClient) -> None:
    ok(await client.post("/__sandbox/faults", json={"delay": 0.2, "path": "/v1/users/count"}))
    started = time.monotonic()
    assert ok(await client.get("/v1/users/count"))["total_count"] == USER_COUNT
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "form_param_missing"),
        ({"status": 200}, "form_param_value_invalid"),
        ({"status": 429, "count": 0}, "form_param_value_invalid"),
        ({"delay": "slow"}, "form_param_type_invalid"),
        ({"status": 500, "path": "v1"}, "form_param_format_invalid"),
    ],
)
async def test_bad_fault_requests_are_refused(client: httpx.AsyncClient, body: Any, code: str) -> None:
    clerk_error(await client.post("/__sandbox/faults", json=body), 422, code)


async def test_request_log_shows_what_was_received(client: httpx.AsyncClient) -> None:
    await client.patch(
        f"/v1/users/{USER}/metadata?x=%2F1",
        json={"public_metadata": {"a": 1}},
        headers={"User-Agent": "probe/1.0"},
    )
    anonymous = client.build_request("GET", "/v1/users")
    del anonymous.headers["Authorization"]
    await client.send(anonymous)
    ok(await client.get("/__sandbox/health"))
    first, second = ok(await client.get("/__sandbox/requests"))
    assert first == {
        "method": "PATCH",
        "path": f"/v1/users/{USER}/metadata",
        "query": "x=%2F1",
        "body": {"public_metadata": {"a": 1}},
        "content_type": "application/json",
        "user_agent": "probe/1.0",
        "authorization_present": True,
        "key_id": hashlib.sha256(KEY.encode()).hexdigest()[:12],  # a fingerprint, never the key
        "status": 200,
    }
    assert second["authorization_present"] is False and second["status"] == 401 and second["body"] is None
    assert second["key_id"] is None
    assert KEY not in json.dumps([first, second])
    assert ok(await client.delete("/__sandbox/requests")) == []


async def test_reset_restores_the_seed(client: httpx.AsyncClient) -> None:
    ok(await client.delete(f"/v1/organizations/{ORG}"))
    ok(await client.post("/__sandbox/faults", json={"status": 429, "count": 9, "path": "/v1/nothing"}))
    assert ok(await client.post("/__sandbox/reset"))["users"] == USER_COUNT
    assert ok(await client.get(f"/v1/organizations/{ORG}"))["id"] == ORG
    assert ok(await client.get("/__sandbox/faults")) == []


async def test_every_response_is_exactly_application_json(client: httpx.AsyncClient) -> None:
    responses = [
        await client.get("/v1/users"),
        await client.get("/v1/nope"),
        await client.get("/v1/users", headers={"Authorization": ""}),
        await client.get("/__sandbox/requests"),
        await client.post("/v1/organizations", content=b"{", headers={"Content-Type": "application/json"}),
    ]
    assert {r.headers["content-type"] for r in responses} == {"application/json"}


async def test_bad_bodies(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    clerk_error(await client.post("/v1/organizations", content=b"{", headers=headers), 400, "request_body_invalid")
    clerk_error(await client.post("/v1/organizations", json=["a"]), 400, "request_body_invalid")
    error = clerk_error(await client.post("/v1/organizations", json={"name": 5}), 422, "form_param_type_invalid")
    assert error["meta"] == {"param_name": "name"}
    error = clerk_error(await client.post("/v1/organizations", json={}), 422, "form_param_missing")
    assert error["meta"] == {"param_name": "name"} and "name" in error["long_message"]


# --- seed data ----------------------------------------------------------------------------------


async def test_demo_ids_resolve_and_private_metadata_is_marked(client: httpx.AsyncClient) -> None:
    assert len(DEMO_IDS["users"]) == USER_COUNT and len(DEMO_IDS["organizations"]) == ORGANIZATION_COUNT
    for key in ("user", "member_user", "unaffiliated_user", "banned_user", "locked_user", "phone_only_user"):
        assert ok(await client.get(f"/v1/users/{DEMO_IDS[key]}"))["id"] == DEMO_IDS[key]
    assert ok(await client.get(f"/v1/organizations/{DEMO_IDS['organization_slug']}"))["id"] == ORG
    banned = ok(await client.get(f"/v1/users/{DEMO_IDS['banned_user']}"))
    locked = ok(await client.get(f"/v1/users/{DEMO_IDS['locked_user']}"))
    assert banned["banned"] and locked["locked"]
    memberships = ok(await client.get(f"/v1/organizations/{ORG}/memberships"))["data"]
    assert DEMO_IDS["membership"] in [m["id"] for m in memberships]
    for m in memberships:
        assert PRIVATE_MARKER in json.dumps(m["private_metadata"])
        assert PRIVATE_MARKER in json.dumps(m["organization"]["private_metadata"])
    for u in ok(await client.get("/v1/users", params={"limit": 500})):
        assert PRIVATE_MARKER in u["private_metadata"]["billing"]["customer_id"]
    pending = ok(await client.get(f"/v1/organizations/{ORG}/invitations", params={"status": "pending"}))
    assert DEMO_IDS["pending_org_invitation"] in [i["id"] for i in pending["data"]]


async def test_seed_is_deterministic(client: httpx.AsyncClient) -> None:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as other:
        for path in ("/v1/users?limit=500", "/v1/organization_memberships?limit=500", "/v1/invitations"):
            assert ok(await client.get(path)) == ok(await other.get(path))


async def test_unseeded_sandbox_is_empty() -> None:
    transport = httpx.ASGITransport(app=create_app(seed=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as c:
        assert ok(await c.get("/v1/users")) == []
        ok(await c.post("/__sandbox/reset"))
        assert ok(await c.get("/v1/organizations")) == {"data": [], "total_count": 0}


# --- users --------------------------------------------------------------------------------------


async def test_user_list_filters(client: httpx.AsyncClient) -> None:
    assert await user_ids(client, email_address="AMARA.OKAFOR@example.com") == [USER]
    both = await user_ids(client, **{"email_address[]": ["chen.wei@example.com", "amara@personal.example.com"]})
    assert sorted(both) == sorted([USER, "user_2demoChen"])
    assert await user_ids(client, query="okafor") == [USER]
    assert await user_ids(client, query="5550106") == ["user_2demoFatima"]
    assert await user_ids(client, query="user_2demoWen") == ["user_2demoWen"]
    assert await user_ids(client, username="XNGUYEN") == ["user_2demoXavier"]
    assert await user_ids(client, external_id="crm-0003") == ["user_2demoChen"]
    assert await user_ids(client, banned="true") == [DEMO_IDS["banned_user"]]
    assert len(await user_ids(client, user_id=f"-{USER}")) == USER_COUNT - 1
    assert len(await user_ids(client, organization_id=ORG)) == 8
    assert len(await user_ids(client, organization_id=f"-{ORG}")) == USER_COUNT - 8
    assert await user_ids(client, name_query="ramírez") == ["user_2demoDiego"]
    newest = ok(await client.get("/v1/users", params={"limit": 1}))[0]
    assert await user_ids(client, created_at_after=newest["created_at"] - 1) == [newest["id"]]


async def test_user_count_matches_list(client: httpx.AsyncClient) -> None:
    for query in ({}, {"query": "example.com"}, {"organization_id": ORG}, {"banned": "false"}):
        count = ok(await client.get("/v1/users/count", params=query))
        assert count == {"object": "total_count", "total_count": len(await user_ids(client, **query))}


async def test_user_ordering_and_paging(client: httpx.AsyncClient) -> None:
    default = ok(await client.get("/v1/users"))
    assert len(default) == 10
    created = [u["created_at"] for u in default]
    assert created == sorted(created, reverse=True)
    by_first = ok(await client.get("/v1/users", params={"order_by": "first_name", "limit": 500}))
    names = [u["first_name"] for u in by_first]
    assert names[-1] is None and names[:-1] == sorted(names[:-1], key=str.casefold)
    by_last = ok(await client.get("/v1/users", params={"order_by": "-last_name", "limit": 3}))
    assert [u["last_name"] for u in by_last] == ["Zahra", "Yılmaz", "Wei"]
    everyone = await user_ids(client)
    pages = [await user_ids(client, limit=7, offset=offset) for offset in range(0, USER_COUNT, 7)]
    assert [u for page in pages for u in page] == everyone
    second = await user_ids(client, limit=7, starting_after=pages[0][-1])
    assert second == pages[1]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"limit": 0}, 422, "form_param_value_invalid"),
        ({"limit": 501}, 422, "form_param_value_invalid"),
        ({"offset": -1}, 422, "form_param_value_invalid"),
        ({"limit": "ten"}, 400, "malformed_request_parameters"),
        ({"banned": "maybe"}, 400, "malformed_request_parameters"),
        ({"order_by": "password"}, 422, "form_param_value_invalid"),
        ({"starting_after": USER, "order_by": "username"}, 422, "form_param_value_invalid"),
    ],
)
async def test_bad_list_parameters(client: httpx.AsyncClient, query: Any, status: int, code: str) -> None:
    clerk_error(await client.get("/v1/users", params=query), status, code)


async def test_user_metadata_deep_merge(client: httpx.AsyncClient) -> None:
    patch = {
        "private_metadata": {"billing": {"tier": 3, "customer_id": None}, "tags": ["a", "b"]},
        "public_metadata": {"title": None, "prefs": {"lang": "en"}},
        "unsafe_metadata": {"theme": {"mode": "dark"}},
    }
    user = ok(await client.patch(f"/v1/users/{USER}/metadata", json=patch))
    assert user["private_metadata"]["billing"] == {"tier": 3}
    assert user["private_metadata"]["tags"] == ["a", "b"] and "internal_note" in user["private_metadata"]
    assert user["public_metadata"] == {"plan": "pro", "prefs": {"lang": "en"}}
    assert user["unsafe_metadata"] == {"theme": {"mode": "dark"}}
    user = ok(await client.patch(f"/v1/users/{USER}/metadata", json={"public_metadata": {"prefs": {"tz": "UTC"}}}))
    assert user["public_metadata"]["prefs"] == {"lang": "en", "tz": "UTC"}
    assert ok(await client.get(f"/v1/users/{USER}"))["public_metadata"] == user["public_metadata"]
    response = await client.patch(f"/v1/users/{USER}/metadata", json={"public_metadata": [1]})
    clerk_error(response, 422, "form_param_type_invalid")
    clerk_error(await client.patch("/v1/users/user_nope/metadata", json={}), 404, "resource_not_found")


async def test_update_and_delete_user(client: httpx.AsyncClient) -> None:
    user = ok(await client.patch(f"/v1/users/{USER}", json={"first_name": "Ada", "username": "ada_l"}))
    assert (user["first_name"], user["username"], user["last_name"]) == ("Ada", "ada_l", "Okafor")
    second_email = user["email_addresses"][1]["id"]
    user = ok(await client.patch(f"/v1/users/{USER}", json={"primary_email_address_id": second_email}))
    assert user["primary_email_address_id"] == second_email
    taken = await client.patch(f"/v1/users/{MEMBER}", json={"username": "ADA_L"})
    assert clerk_error(taken, 422, "form_identifier_exists")["meta"] == {"param_name": "username"}
    clerk_error(await client.patch(f"/v1/users/{MEMBER}", json={"username": "ab"}), 422, "form_username_invalid_length")
    bad = await client.patch(f"/v1/users/{MEMBER}", json={"primary_email_address_id": second_email})
    clerk_error(bad, 422, "form_resource_not_found")
    assert ok(await client.delete(f"/v1/users/{USER}")) == {"object": "user", "id": USER, "deleted": True}
    clerk_error(await client.get(f"/v1/users/{USER}"), 404, "resource_not_found")
    members = ok(await client.get(f"/v1/organizations/{ORG}/memberships", params={"limit": 500}))
    assert USER not in [m["public_user_data"]["user_id"] for m in members["data"]]


async def test_profile_image_upload(client: httpx.AsyncClient) -> None:
    files = {"file": ("me.jpg", b"\xff\xd8\xff fake jpeg", "image/jpeg")}
    user = ok(await client.post(f"/v1/users/{USER}/profile_image", files=files))
    assert user["has_image"] is True and user["image_url"].endswith(".jpg")
    assert user["profile_image_url"] == user["image_url"]
    response = await client.post(f"/v1/users/{USER}/profile_image", files={"other": ("x", b"x")})
    assert clerk_error(response, 422, "form_param_missing")["meta"] == {"param_name": "file"}
    response = await client.post(f"/v1/users/{USER}/profile_image", json={"file": "x"})
    clerk_error(response, 400, "unsupported_content_type")
    clerk_error(await client.post("/v1/users/user_nope/profile_image", files=files), 404, "resource_not_found")


# --- organizations ------------------------------------------------------------------------------


async def test_create_organization_rules(client: httpx.AsyncClient) -> None:
    org = ok(await client.post("/v1/organizations", json={"name": "Hello World!", "created_by": USER}))
    assert org["slug"] == "hello-world" and org["created_by"] == USER
    members = ok(await client.get(f"/v1/organizations/{org['id']}/memberships"))
    assert [(m["role"], m["public_user_data"]["user_id"]) for m in members["data"]] == [("org:admin", USER)]
    assert ok(await client.post("/v1/organizations", json={"name": "Hello world"}))["slug"] == "hello-world-2"
    taken = await client.post("/v1/organizations", json={"name": "Dup", "slug": "acme-corp"})
    assert clerk_error(taken, 422, "form_identifier_exists")["meta"] == {"param_name": "slug"}
    clerk_error(
        await client.post("/v1/organizations", json={"name": "Bad", "slug": "Bad Slug"}),
        422,
        "form_param_format_invalid",
    )
    response = await client.post("/v1/organizations", json={"name": "Orphan", "created_by": "user_nope"})
    clerk_error(response, 400, "organization_creator_not_found")


async def test_get_list_update_delete_organization(client: httpx.AsyncClient) -> None:
    by_slug = ok(await client.get("/v1/organizations/acme-corp", params={"include_members_count": "true"}))
    assert by_slug["id"] == ORG and by_slug["members_count"] == 8 and by_slug["pending_invitations_count"] == 2
    assert "members_count" not in ok(await client.get(f"/v1/organizations/{ORG}"))
    clerk_error(await client.get("/v1/organizations/org_nope"), 404, "resource_not_found")
    listed = ok(await client.get("/v1/organizations", params={"query": "GLOB"}))
    assert [o["id"] for o in listed["data"]] == [DEMO_IDS["other_organization"]] and listed["total_count"] == 1
    assert ok(await client.get("/v1/organizations", params={"query": ORG}))["total_count"] == 1
    by_name = ok(await client.get("/v1/organizations", params={"order_by": "name", "limit": 2}))
    assert [o["name"] for o in by_name["data"]] == ["Acme Corporation", "Globex Industries"]
    assert by_name["total_count"] == ORGANIZATION_COUNT
    of_user = ok(await client.get("/v1/organizations", params={"user_id": USER}))
    assert {o["id"] for o in of_user["data"]} == {ORG, DEMO_IDS["other_organization"]}
    updated = ok(await client.patch(f"/v1/organizations/{ORG}", json={"name": "Acme Inc", "slug": "acme-inc"}))
    assert (updated["name"], updated["slug"]) == ("Acme Inc", "acme-inc")
    clerk_error(await client.patch(f"/v1/organizations/{ORG}", json={"slug": "globex"}), 422, "form_identifier_exists")
    deleted = ok(await client.delete(f"/v1/organizations/{ORG}"))
    assert deleted == {"object": "organization", "id": ORG, "slug": "acme-inc", "deleted": True}
    all_members = ok(await client.get("/v1/organization_memberships", params={"limit": 500}))
    assert all_members["total_count"] == 17 - 8
    invitations = ok(await client.get("/v1/organization_invitations", params={"limit": 500}))
    assert ORG not in {i["organization_id"] for i in invitations["data"]}


async def test_organization_and_membership_metadata_merge(client: httpx.AsyncClient) -> None:
    org = ok(
        await client.patch(
            f"/v1/organizations/{ORG}/metadata", json={"public_metadata": {"industry": None, "x": {"y": 1}}}
        )
    )
    assert org["public_metadata"] == {"plan": "enterprise", "x": {"y": 1}}
    assert org["private_metadata"]["billing"]["tier"] == 2
    path = f"/v1/organizations/{ORG}/memberships/{MEMBER}/metadata"
    member = ok(await client.patch(path, json={"private_metadata": {"billing": {"tier": None}}}))
    assert member["private_metadata"]["billing"] == {"customer_id": f"cus_{PRIVATE_MARKER}_acme-elif"}
    assert member["public_metadata"]["team"] == "acme"


async def test_membership_rules(client: httpx.AsyncClient) -> None:
    base = f"/v1/organizations/{ORG}/memberships"
    admins = ok(await client.get(base, params={"role": "org:admin"}))
    assert admins["total_count"] == 2
    found = ok(await client.get(base, params={"query": "yılmaz"}))
    assert [m["public_user_data"]["user_id"] for m in found["data"]] == [MEMBER]
    by_email = ok(await client.get(base, params={"order_by": "email_address", "limit": 2}))
    assert [m["public_user_data"]["identifier"] for m in by_email["data"]] == [
        "amara.okafor@example.com",
        "bjorn.lindqvist@example.com",
    ]
    clerk_error(
        await client.post(base, json={"user_id": MEMBER, "role": "org:member"}), 400, "already_a_member_in_organization"
    )
    bad_role = await client.post(base, json={"user_id": DEMO_IDS["unaffiliated_user"], "role": "org:owner"})
    assert clerk_error(bad_role, 404, "resource_not_found")["meta"] == {"param_name": "role"}
    clerk_error(
        await client.post(base, json={"user_id": "user_nope", "role": "org:member"}), 422, "form_resource_not_found"
    )
    clerk_error(await client.post(base, json={"role": "org:member"}), 422, "form_param_missing")
    promoted = ok(await client.patch(f"{base}/{MEMBER}", json={"role": "org:admin"}))
    assert promoted["role"] == "org:admin" and promoted["role_name"] == "Admin"
    assert "org:sys_memberships:manage" in promoted["permissions"]
    clerk_error(
        await client.patch(f"{base}/{DEMO_IDS['unaffiliated_user']}", json={"role": "org:admin"}),
        404,
        "resource_not_found",
    )
    removed = ok(await client.delete(f"{base}/{MEMBER}"))
    assert removed["public_user_data"]["user_id"] == MEMBER and removed["organization"]["id"] == ORG
    clerk_error(await client.delete(f"{base}/{MEMBER}"), 404, "resource_not_found")
    clerk_error(await client.get("/v1/organizations/org_nope/memberships"), 404, "resource_not_found")


async def test_membership_quota(client: httpx.AsyncClient) -> None:
    base = f"/v1/organizations/{DEMO_IDS['limited_organization']}/memberships"
    ok(await client.post(base, json={"user_id": DEMO_IDS["unaffiliated_user"], "role": "org:member"}))
    response = await client.post(base, json={"user_id": "user_2demoRosa", "role": "org:member"})
    clerk_error(response, 403, "organization_membership_quota_exceeded")


# --- invitations --------------------------------------------------------------------------------


async def test_organization_invitations(client: httpx.AsyncClient) -> None:
    base = f"/v1/organizations/{ORG}/invitations"
    body = {"email_address": "someone@example.com", "role": "org:member", "inviter_user_id": USER}
    created = ok(await client.post(base, json=body))
    assert created["status"] == "pending" and created["public_inviter_data"]["user_id"] == USER
    assert created["expires_at"] - created["created_at"] == 30 * 86_400_000
    clerk_error(await client.post(base, json=body), 400, "organization_invitation_not_unique")
    member_email = {**body, "email_address": "elif.yilmaz@example.com"}
    clerk_error(await client.post(base, json=member_email), 400, "already_a_member_in_organization")
    clerk_error(
        await client.post(base, json={**body, "email_address": "x@example.com", "inviter_user_id": MEMBER}),
        403,
        "not_an_admin_in_organization",
    )
    clerk_error(
        await client.post(base, json={**body, "email_address": "not-an-email"}), 422, "form_param_format_invalid"
    )
    pending = ok(await client.get(base, params={"status": "pending"}))
    assert pending["total_count"] == 3 and pending["data"][0]["id"] == created["id"]
    mine = ok(await client.get(base, params={"email_address": "SOMEONE@example.com"}))
    assert [i["id"] for i in mine["data"]] == [created["id"]]
    revoke = f"{base}/{created['id']}/revoke"
    clerk_error(await client.post(revoke, json={"requesting_user_id": MEMBER}), 403, "not_an_admin_in_organization")
    assert ok(await client.post(revoke, json={"requesting_user_id": USER}))["status"] == "revoked"
    clerk_error(await client.post(revoke), 404, "organization_invitation_not_pending")
    clerk_error(await client.post(f"{base}/orginv_nope/revoke"), 404, "resource_not_found")
    clerk_error(await client.get(base, params={"status": "lost"}), 422, "form_param_value_invalid")


async def test_instance_wide_organization_invitations(client: httpx.AsyncClient) -> None:
    listed = ok(await client.get("/v1/organization_invitations", params={"status": "pending", "limit": 500}))
    assert listed["total_count"] == 4
    assert all(i["public_organization_data"]["slug"] for i in listed["data"])
    found = ok(await client.get("/v1/organization_invitations", params={"query": "contractor"}))
    assert [i["email_address"] for i in found["data"]] == ["contractor@example.com"]


async def test_instance_invitations(client: httpx.AsyncClient) -> None:
    listed = ok(await client.get("/v1/invitations"))
    assert "revoked" not in {i["status"] for i in listed} and len(listed) == 4
    revoked = ok(await client.get("/v1/invitations", params={"status": "revoked"}))
    assert [i["id"] for i in revoked] == [DEMO_IDS["revoked_invitation"]]
    paginated = ok(await client.get("/v1/invitations", params={"paginated": "true", "limit": 2}))
    assert len(paginated["data"]) == 2 and paginated["total_count"] == 4
    body = {"email_address": "fresh@example.com", "expires_in_days": 7, "redirect_url": "https://app.example.com/join"}
    created = ok(await client.post("/v1/invitations", json=body))
    assert created["expires_at"] - created["created_at"] == 7 * 86_400_000
    assert created["url"].startswith("https://app.example.com/join?__clerk_ticket=")
    duplicate = await client.post("/v1/invitations", json={"email_address": "FRESH@example.com"})
    assert clerk_error(duplicate, 400, "duplicate_record")["meta"] == {"email_addresses": ["FRESH@example.com"]}
    again = ok(
        await client.post("/v1/invitations", json={"email_address": "fresh@example.com", "ignore_existing": True})
    )
    assert again["id"] != created["id"]
    existing = await client.post("/v1/invitations", json={"email_address": "chen.wei@example.com"})
    clerk_error(existing, 422, "form_identifier_exists")
    clerk_error(await client.post("/v1/invitations", json={}), 422, "form_param_missing")
    assert [i["id"] for i in ok(await client.get("/v1/invitations", params={"query": "fresh"}))] == [
        again["id"],
        created["id"],
    ]
    gone = ok(await client.post(f"/v1/invitations/{created['id']}/revoke"))
    assert gone["revoked"] is True and gone["status"] == "revoked"
    clerk_error(await client.post(f"/v1/invitations/{created['id']}/revoke"), 400, "invitation_already_revoked")
    clerk_error(
        await client.post(f"/v1/invitations/{DEMO_IDS['accepted_invitation']}/revoke"),
        400,
        "invitation_already_accepted",
    )
    clerk_error(await client.post("/v1/invitations/inv_nope/revoke"), 404, "resource_not_found")


# --- over real HTTP -----------------------------------------------------------------------------


def test_running_sandbox_over_real_http() -> None:
    with running_sandbox(secret_key=KEY) as url:
        assert url.startswith("http://127.0.0.1:") and not url.endswith("/v1")
        with httpx.Client(base_url=url, headers=AUTH) as http:
            response = http.get("/v1/users", params={"limit": 2})
            assert response.status_code == 200 and response.headers["content-type"] == "application/json"
            clerk_error(http.get("/v1/users/..%2Forganizations"), 404, "resource_not_found")
            assert [r["path"] for r in http.get("/__sandbox/requests").json()] == [
                "/v1/users",
                "/v1/users/..%2Forganizations",
            ]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/__sandbox/health", timeout=1)


def test_module_entry_point_prints_its_url_first() -> None:
    code = "import sys, clerk_mcp_setup.server.sandbox.serve; print('mcp' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
    proc = subprocess.Popen(
        [sys.executable, "-m", "clerk_mcp_setup.server.sandbox", "--port", "0", "--secret-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        deadline = time.monotonic() + 10
        while True:
            try:
                response = httpx.get(f"{url}/v1/users/count", headers=AUTH, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox never answered"
                time.sleep(0.05)
        assert response.json()["total_count"] == USER_COUNT
    finally:
        proc.terminate()
        proc.wait(timeout=10)
