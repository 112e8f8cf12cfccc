"""Remote headers that are secrets: which ones, and how an entry refers to them without holding them.

A header is a secret when the person marks it (`--secret-header NAME`), when its name says so (Authorization,
X-Clerk-Secret-Key, anything with token/key/secret/auth/password/cookie/session in it), or when its value looks
like a credential (`Bearer …`, `Basic …`, a Clerk/GitHub/Slack/AWS/JWT token, a long high-entropy string).
Secret values go to the vault (the entry becomes a `--bridge` entry that reads them with `--header-vault`),
or become references the client fills from its own environment (`--key-storage env`), or stay in the file
only with `--key-storage plain` (0600).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clerk_mcp_setup.secrets import mask

SECRET_NAMES = ("authorization", "proxy-authorization", "x-clerk-secret-key", "cookie", "x-api-key")
_SECRET_NAME_PARTS = re.compile(r"token|key|secret|auth|passw|cookie|session|credential", re.I)
TOKEN_SHAPES = re.compile(
    r"(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9]{8,}"  # Clerk / Stripe-style keys
    r"|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"  # GitHub
    r"|xox[abpr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|AKIA[A-Z0-9]{16}"  # AWS access key id
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"  # a JWT
    r"|sk-[A-Za-z0-9_-]{20,}"  # OpenAI / Anthropic-style keys
)
_SCHEME = re.compile(r"^(Bearer|Basic|Token)\s+\S", re.I)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character (random tokens score above 4, words and URLs lower)."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values()) if value else 0.0


def looks_like_credential(value: str) -> bool:
    """A value shaped like a credential: an auth scheme, a known token form, or a long random string."""
    value = value.strip()
    if _SCHEME.match(value) or TOKEN_SHAPES.search(value):
        return True
    return len(value) >= 24 and " " not in value and "/" not in value and entropy(value) >= 4.0


def is_secret_header(name: str, value: str, marked: Iterable[str] = ()) -> bool:
    """Whether a header's value must be treated as a secret."""
    low = name.strip().lower()
    if low in {m.strip().lower() for m in marked} or low in SECRET_NAMES or _SECRET_NAME_PARTS.search(low):
        return True
    return looks_like_credential(value) and not _is_reference(value)


def _is_reference(value: str) -> bool:
    return bool(re.fullmatch(r"(?:Bearer\s+)?\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*|\{env:[^}]+\}", value.strip()))


def env_name_for(header: str) -> str:
    """The environment variable that holds a header's value when the client fills it (`CLERK_MCP_AUTHORIZATION`)."""
    return "CLERK_MCP_" + re.sub(r"[^A-Za-z0-9]+", "_", header).strip("_").upper()


@dataclass
class HeaderPlan:
    """A request's headers split by how they reach the server: in the entry, the vault, or the environment."""

    plain: dict[str, str] = field(default_factory=dict)  # not secret (or --key-storage plain): in the entry
    vault: dict[str, tuple[str, str]] = field(default_factory=dict)  # header → (slot, value)
    env: dict[str, str] = field(default_factory=dict)  # header → variable holding its whole value
    bearer_env: str | None = None  # Authorization: Bearer <value of this variable>
    secrets: list[str] = field(default_factory=list)  # every secret value, for masking

    @property
    def has_secret(self) -> bool:
        return bool(self.vault or self.env or self.bearer_env or self.secrets)


def split(
    name: str,
    headers: Sequence[tuple[str, str]],
    marked: Sequence[str],
    storage: str,
    key_env: str | None,
    slot_for: Any,
) -> HeaderPlan:
    """Decide, per header, where its value goes under key storage `storage`."""
    plan = HeaderPlan()
    secret = [(h, v) for h, v in headers if is_secret_header(h, v, marked)]
    for header, value in headers:
        if (header, value) not in secret or _is_reference(value):  # a reference the person wrote stays as written
            plan.plain[header] = value
            continue
        plan.secrets.append(value)
        if storage == "plain":
            plan.plain[header] = value
        elif storage == "env":
            var = key_env if key_env and len(secret) == 1 else env_name_for(header)
            if header.lower() == "authorization" and value.lower().startswith("bearer "):
                plan.bearer_env = var
            else:
                plan.env[header] = var
        else:
            plan.vault[header] = (slot_for(name, value, header), value)
    plan.secrets = [s for s in plan.secrets if s and not _is_reference(s)]
    return plan


# -- masking what we show -------------------------------------------------------------------------------------

_KEYED_VALUE = re.compile(
    r"""(?P<key>["']?[A-Za-z0-9_.-]*(?:token|key|secret|auth|passw|cookie|session|credential)[A-Za-z0-9_.-]*["']?"""
    r"""\s*[:=]\s*)(?P<q>["'])(?P<value>[^"'\n]*)(?P=q)""",
    re.I,
)
_SCHEMED = re.compile(r"\b(Bearer|Basic|Token)(\s+)([A-Za-z0-9._~+/=-]{6,})", re.I)


def _mask_one(value: str) -> str:
    if not value or "****" in value or _is_reference(value) or "${" in value or value.startswith("{env:"):
        return value
    if re.fullmatch(r"[A-Z_][A-Z0-9_]*", value):  # an environment variable's name (bearer_token_env_var = "X")
        return value
    scheme = _SCHEMED.match(value)
    if scheme:
        return f"{scheme.group(1)}{scheme.group(2)}{mask(scheme.group(3))}"
    return mask(value)


def mask_credentials(text: str) -> str:
    """Mask credential-looking values anywhere in `text` (other servers' tokens in a diff's context lines)."""
    text = _KEYED_VALUE.sub(lambda m: m.group("key") + m.group("q") + _mask_one(m.group("value")) + m.group("q"), text)
    text = _SCHEMED.sub(
        lambda m: f"{m.group(1)}{m.group(2)}{mask(m.group(3))}" if "****" not in m.group(3) else m.group(0), text
    )
    return TOKEN_SHAPES.sub(lambda m: mask(m.group(0)), text)


def entry_has_secret(entry: Mapping[str, Any]) -> bool:
    """Whether an entry holds a secret value (then it must not go on a command line, e.g. `claude mcp add-json`)."""
    for key in ("headers", "http_headers"):
        for header, value in dict(entry.get(key) or {}).items():
            if isinstance(value, str) and is_secret_header(header, value) and "${" not in value:
                return True
    for name, value in dict(entry.get("env") or {}).items():
        if (
            isinstance(value, str)
            and "${" not in value
            and (_SECRET_NAME_PARTS.search(name) and name not in ("CLERK_MCP_VAULT", "CLERK_MCP_VAULT_FILE"))
        ):
            return True
    args = " ".join(str(a) for a in entry.get("args") or [])
    return bool(TOKEN_SHAPES.search(args) or _SCHEMED.search(args))


def bridge_entry(
    client: Any, launcher: Any, url: str, plan: HeaderPlan, vault_env: tuple[dict[str, str], list[str]] | None
) -> dict[str, Any]:
    """A stdio entry running our server as a bridge; secret header values never appear in its argv.

    Vault headers are read by the bridge (`--header-vault NAME=SLOT`); plain-text secrets (only with
    `--key-storage plain`) sit in the entry's env, named on the command line by `--header-env NAME=VAR`.
    """
    args = ["--bridge", url]
    env: dict[str, str] = {}
    pass_env: list[str] = []
    secret = set(plan.secrets)
    for header, value in plan.plain.items():
        if value in secret:
            var = env_name_for(header)
            env[var] = value
            args += ["--header-env", f"{header}={var}"]
        else:
            args += ["--header", f"{header}: {value}"]
    for header, (slot, _) in plan.vault.items():
        args += ["--header-vault", f"{header}={slot}"]
    if vault_env:  # vault headers, or the tokens of a signing-in bridge (install/remote.py)
        more, pass_env = vault_env
        env |= more
    return client.stdio_entry(launcher.command, [*launcher.prefix, *args], env, pass_env=pass_env)


def records_of(plan: HeaderPlan) -> list[list[str]]:
    """How each header reaches the server, for the manifest (never a secret value)."""
    secret = set(plan.secrets)
    out = [[h, "file" if v in secret else "plain", "" if v in secret else v] for h, v in plan.plain.items()]
    out += [[h, "vault", slot] for h, (slot, _) in plan.vault.items()]
    out += [[h, "env", var] for h, var in plan.env.items()]
    if plan.bearer_env:
        out.append(["Authorization", "bearer-env", plan.bearer_env])
    return out


def check(plan: HeaderPlan, given: Sequence[tuple[str, str]], marked: Sequence[str], storage: str) -> None:
    """Refuse a secret header under a storage that would leave it nowhere (none) or that headers lack (input)."""
    from clerk_mcp_setup.errors import UsageError

    secret = [h for h, v in given if is_secret_header(h, v, marked) and not _is_reference(v)]
    if secret and storage in ("none", "input"):
        raise UsageError(
            f"Header {', '.join(repr(h) for h in secret)} holds a secret, and --key-storage {storage} has no place "
            "for it.",
            "Use --key-storage vault (default: the vault, read by a local bridge), env (the client fills it from "
            "its environment) or plain (in the file, 0600).",
        )
    unknown = [m for m in marked if m.lower() not in {h.lower() for h, _ in given}]
    if unknown:
        raise UsageError(f"--secret-header {unknown[0]!r} names no --header.", "Give the header with --header first.")
