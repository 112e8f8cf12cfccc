"""`searchClerkTools` ranking: requests phrased as a person would type them find the right tool."""

from __future__ import annotations

from discover_queries import QUERIES

from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.server.catalog import BY_NAME, CATALOG
from clerk_mcp_setup.server.search import ToolIndex, split_words, stem

MIN_TOP3 = 0.90


def hit_rates(index: ToolIndex) -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    misses = []
    for query, want in QUERIES:
        got = [t.name for t in index.search(query)[:3]]
        top1 += bool(got) and got[0] == want
        top3 += want in got
        if want not in got:
            misses.append(f"{query!r}: wanted {want}, got {got}")
    return top1 / len(QUERIES), top3 / len(QUERIES), misses


def test_the_table_is_large_real_and_not_names() -> None:
    assert len(QUERIES) >= 40
    assert all(want in BY_NAME for _, want in QUERIES)
    for query, want in QUERIES:  # phrased in words, not by typing the tool's name
        assert want.lower() not in query.lower(), query


def test_typical_requests_find_the_right_tool_in_the_top_3() -> None:
    top1, top3, misses = hit_rates(ToolIndex(CATALOG))
    print(f"top-1 {top1:.0%}, top-3 {top3:.0%} over {len(QUERIES)} requests")
    for miss in misses:
        print("miss:", miss)
    assert top3 >= MIN_TOP3, misses


def test_words_split_and_stem_alike_on_both_sides() -> None:
    assert split_words("listM2MTokens") == ["list", "m2m", "tokens"]
    assert split_words("deleteUserWeb3Wallet") == ["delete", "user", "web3", "wallet"]
    assert split_words("disableUserMFA") == ["disable", "user", "mfa"]
    assert split_words("getUserOauthAccessToken") == ["get", "user", "oauth", "access", "token"]
    assert stem("banned") == stem("ban") and stem("revoked") == stem("revoke") == stem("revoking")
    assert stem("users") == stem("user") and stem("memberships") == stem("membership")


def test_exact_name_comes_first_and_filters_hold() -> None:
    index = ToolIndex(CATALOG)
    assert index.search("deleteUser")[0].name == "deleteUser"
    assert all(t.risk == "read" for t in index.search("user", risk="read"))
    assert all(t.category == "sessions" for t in index.search("revoke", category="sessions"))
    assert index.search("zzzz qqqq") == []
    assert [t.name for t in index.search("   ")] == [t.name for t in CATALOG]


def test_a_scope_is_searched_alone() -> None:
    users = ToolIndex(resolve(["users"]))
    assert all(t.category == "users" for t in users.search("who is in org X delete organization"))
