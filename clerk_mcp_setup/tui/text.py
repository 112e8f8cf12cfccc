"""Small formatting rules every screen shares: home-relative paths, coloured diffs, risk and state styles."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from clerk_mcp_setup.secrets import mask_text

RISK_STYLE = {"read": "green", "write": "yellow", "destructive": "bold red", "credential": "magenta"}
SCOPE_LABEL = {"user": "user", "project": "project", "local": "local"}


def tilde(path: str | Path) -> str:
    """`/home/ada/.cursor/mcp.json` → `~/.cursor/mcp.json`: shorter, and the same on every machine."""
    text, home = str(path), str(Path.home())
    return "~" + text[len(home) :] if home not in ("", "/") and text.startswith(home) else text


def fit(path: str | Path, width: int) -> str:
    """A home-relative path cut on the left to `width` characters: the file name matters most."""
    text = tilde(path)
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def tilde_all(text: str) -> str:
    """Every occurrence of the home directory in `text` shortened to `~`."""
    home = str(Path.home())
    return text.replace(home, "~") if home not in ("", "/") else text


def diff_text(diff: str, secrets: tuple[str, ...] = ()) -> Text:
    """A unified diff (masked again, in case) coloured line by line."""
    out = Text()
    for line in tilde_all(mask_text(diff, secrets)).splitlines():
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        else:
            style = "dim"
        out.append(line + "\n", style=style)
    return out


def risk_text(risk: str) -> Text:
    return Text(risk, style=RISK_STYLE.get(risk, ""))


# The CLI's flags in a hint, said as the wizard's own choices (a dialog must not send the person to a flag).
_WIZARD_WORDS = (
    (", or pass --force to write it anyway", ""),
    ("Pass --replace to replace it", "Choose 'Replace existing entries' on the review screen to replace it"),
    (" In the wizard: 'Replace existing entries' on the review screen.", ""),
    ("or choose another entry name with --name", "or go back and choose another entry name"),
    ("Use --key-storage vault (the default) or env for this client.", "Choose the vault or an env reference."),
    ("Use --key-storage vault (the default) for this client.", "Choose the vault for this client."),
    (
        "Give it with --secret-key-stdin, the CLERK_SECRET_KEY environment variable or --secret-key, or "
        "choose --key-storage env|input|none.",
        "Type or paste the key on the Key screen, or choose demo mode.",
    ),
    ("Pass --client NAME (several allowed) or --all-detected.", "Pick at least one client with space."),
)


def wizard_words(text: str) -> str:
    """A hint written for the command line, in the wizard's terms."""
    for cli, ours in _WIZARD_WORDS:
        text = text.replace(cli, ours)
    return text
