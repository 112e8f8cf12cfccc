"""Rank catalog tools for a request typed in words ("ban a user", "who is in org X").

A small BM25F scorer over each tool's name (camelCase split), title, description, parameter names and
category, with a synonym table that maps the words people use to the words the tools' own purposes use
(block → ban, kick → remove member, who is in → list members, sign out → revoke session).

Hand-written rather than a library because: no embedding model can be fetched on this machine (nor would we
want a model download on a server's start-up path); the BM25 packages (bm25s, rank-bm25) pull in numpy and
offer neither field weights nor query expansion; and the catalog is ~170 short records, so a hundred lines of
plain Python index it in about a millisecond. tests/test_discover_search.py holds the quality bar: 40+
requests phrased as a person would, the right tool in the top 3 for at least 90% of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clerk_mcp_setup.server.catalog import Tool

K1, B = 1.2, 0.75
FIELD_WEIGHTS = {"name": 3.0, "title": 2.0, "category": 1.0, "description": 1.0, "params": 0.5}
SYNONYM_WEIGHT = 0.6  # a word the person did not type counts for a little less than one they did

STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the to for of on with by from is are be been was it its this that these those and or as at "
        "their them they his her he she do does can could would should please want need i we you our your "
        "many who what which how when there here into out up any some so just",
    )
)

# Phrases first (matched on the lower-cased request), then single words; each adds the tools' own words.
PHRASES: dict[str, str] = {
    "who is in": "list member membership",
    "who's in": "list member membership",
    "who belongs to": "list member membership",
    "members of": "list member membership",
    "sign out": "revoke session",
    "log out": "revoke session",
    "signed in": "session",
    "logged in": "session",
    "log in as": "impersonation actor",
    "sign in as": "impersonation actor",
    "how many": "count",
    "two factor": "mfa second factor",
    "second factor": "mfa",
    "magic link": "sign-in link token",
    "kick out": "remove member",
    "wait list": "waitlist",
    "e-mail": "email",
}
SYNONYMS: dict[str, str] = {
    "block": "ban blocklist",
    "suspend": "ban lock",
    "unblock": "unban",
    "reinstate": "unban",
    "kick": "remove delete",
    "remove": "delete revoke",
    "delete": "remove",
    "erase": "delete",
    "cancel": "revoke",
    "revoke": "remove",
    "disable": "revoke delete",
    "member": "membership",
    "membership": "member",
    "people": "user",
    "person": "user",
    "account": "user",
    "customer": "user",
    "company": "organization",
    "team": "organization",
    "org": "organization",
    "workspace": "organization",
    "tenant": "organization",
    "logout": "revoke session",
    "signout": "revoke session",
    "login": "sign",
    "impersonate": "impersonation actor",
    "passwordless": "sign-in link token",
    "2fa": "mfa second factor",
    "authenticator": "totp mfa",
    "otp": "totp code",
    "find": "list search get",
    "search": "list",
    "lookup": "list get",
    "look": "list get",
    "show": "list get",
    "see": "list get",
    "view": "get list",
    "fetch": "get",
    "details": "get",
    "number": "count",
    "total": "count",
    "add": "create",
    "new": "create",
    "make": "create",
    "register": "create",
    "issue": "create",
    "mint": "create",
    "generate": "create",
    "change": "update",
    "edit": "update",
    "modify": "update",
    "rename": "update name",
    "invite": "invitation",
    "app": "application",
    "give": "add grant adjust",
    "avatar": "profile image",
    "photo": "profile image",
    "picture": "profile image",
    "sms": "phone",
    "text": "phone",
    "mobile": "phone",
    "confirm": "verification verify",
    "queue": "waitlist",
    "bot": "protect",
    "fraud": "protect",
    "whitelist": "allowlist",
    "allow": "allowlist create",
    "blacklist": "blocklist",
    "denylist": "blocklist",
    "service": "machine",
    "m2m": "machine",
    "sso": "external oauth",
    "social": "external oauth",
    "google": "external oauth provider",
    "github": "external oauth provider",
    "wallet": "web3",
    "crypto": "web3 wallet",
    "settings": "instance",
    "config": "instance settings",
    "cors": "allowed origins instance",
    "plan": "subscription billing",
    "credits": "credit balance",
    "me": "acting",
    "myself": "acting",
    "my": "acting",
    "current": "acting",
    "claims": "jwt template",
    "rotate": "rotate replace",
    "reveal": "secret",
    "permission": "permission role",
}


def split_words(text: str) -> list[str]:
    """`listM2MTokens` → list, m2m, tokens; `sign-in` → sign, in; lower case, letters and digits only."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z0-9]+)([A-Z][a-z])", r"\1 \2", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def stem(word: str) -> str:
    """A light stemmer, the same on both sides: plurals, -ed, -ing, a final e and doubled consonants."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def terms(text: str, drop: Iterable[str] = ()) -> list[str]:
    """Stemmed words of `text` without stop words; `drop` names identifiers to leave out (other tools' names)."""
    dropped = set(drop)
    words = [w for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", text) if w not in dropped]
    return [stem(t) for w in words for t in split_words(w) if t not in STOPWORDS]


def expand(query: str) -> list[dict[str, float]]:
    """The request as concepts: each word typed (weight 1.0) with its synonyms (SYNONYM_WEIGHT).

    A concept scores once, by its best term, so a tool titled "Remove member" does not outrank "Delete
    organization" for "delete an organization" by matching both delete and its synonym remove. A phrase
    ("who is in") stands for the tools' words as if typed, and its own words are dropped.
    """
    text = query.lower()
    groups: list[dict[str, float]] = []
    for phrase, words in PHRASES.items():
        pattern = rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])"
        if re.search(pattern, text):
            groups += [{term: 1.0} for term in terms(words)]
            text = re.sub(pattern, " ", text)
    for word in split_words(text):
        typed = terms(word)
        if not typed:
            continue
        group = {term: SYNONYM_WEIGHT for term in terms(SYNONYMS.get(word, ""))}
        group |= dict.fromkeys(typed, 1.0)
        groups.append(group)
    merged: dict[frozenset[str], dict[str, float]] = {}
    for group in groups:  # the same word twice counts once
        merged.setdefault(frozenset(group), group)
    return list(merged.values())


@dataclass(frozen=True)
class _Doc:
    tool: Tool
    tf: dict[str, float]
    length: float
    name_terms: frozenset[str]
    name_words: frozenset[str]


class ToolIndex:
    """The tools of one scope, indexed once; `search` ranks them for a request."""

    def __init__(self, tools: Sequence[Tool]) -> None:
        self.tools = list(tools)
        names = {t.name for t in tools}
        docs = []
        for tool in tools:
            tf: Counter[str] = Counter()
            fields = {
                "name": terms(tool.name),
                "title": terms(tool.title),
                "category": terms(tool.category),
                "description": terms(tool.description, drop=names - {tool.name}),
                "params": [t for p in tool.params for t in terms(p.name)],
            }
            for field, words in fields.items():
                for word in words:
                    tf[word] += FIELD_WEIGHTS[field]
            docs.append(
                _Doc(tool, dict(tf), sum(tf.values()), frozenset(fields["name"]), frozenset(split_words(tool.name)))
            )
        self._docs = docs
        self._verbs = frozenset(stem(split_words(t.name)[0]) for t in tools)  # get, list, create, ban, revoke…
        self._avg = sum(d.length for d in docs) / len(docs) if docs else 1.0
        df: Counter[str] = Counter(term for d in docs for term in d.tf)
        n = len(docs)
        self._idf = {term: math.log(1 + (n - k + 0.5) / (k + 0.5)) for term, k in df.items()}

    def score(self, groups: list[dict[str, float]], doc: _Doc) -> float:
        total = 0.0
        norm = K1 * (1 - B + B * doc.length / self._avg)
        for group in groups:
            best = 0.0
            for term, weight in group.items():
                tf = doc.tf.get(term)
                if tf:
                    best = max(best, weight * self._idf[term] * tf * (K1 + 1) / (tf + norm))
            total += best
        # Prefer the tool whose name the request covers: "delete an organization" is deleteOrganization,
        # not deleteOrganizationMembership, though both mention deleting and organizations.
        covered = (max((g.get(t, 0.0) for g in groups), default=0.0) for t in doc.name_terms)
        coverage = sum(covered) / max(len(doc.name_terms), 1)
        return total * (1 + coverage)

    def search(self, query: str, *, category: str | None = None, risk: str | None = None) -> list[Tool]:
        """Tools matching the request, best first; an empty request gives every tool in catalog order.

        A request that is exactly a tool's name puts that tool first.
        """
        docs = [d for d in self._docs if (category is None or d.tool.category == category)]
        docs = [d for d in docs if risk is None or d.tool.risk == risk]
        if not query.strip():
            return [d.tool for d in docs]
        groups = expand(query)
        exact = query.strip().lower()
        typed = set(split_words(query))
        # A request that names a thing but no action ("JWT template") is browsing: lean to list, then get.
        browsing = not any(term in self._verbs for group in groups for term in group)
        scored = []
        for i, d in enumerate(docs):
            score = self.score(groups, d)
            # Words typed exactly as the name has them break near-ties: "ban a user" is banUser, not banUsers.
            score *= 1 + 0.1 * len(d.name_words & typed) / max(len(d.name_words), 1)
            if browsing and d.tool.read_only:
                score *= 1.2 if d.tool.list_shape else 1.1
            scored.append((score + (100.0 if d.tool.name.lower() == exact else 0.0), i, d))
        ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
        return [d.tool for _, _, d in ranked]
