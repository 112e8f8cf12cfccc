"""Where the secret key lives when it is not in a client's config file.

The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service) through `keyring` when a real
backend exists; otherwise a JSON file only the user can read, in the platformdirs config directory.
The server reads it at start (`clerk-mcp-server --vault NAME`), so config files hold only a name.
Shared by the installer (writes) and the server (reads): it imports nothing heavy at module level.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clerk_mcp_setup.errors import ClerkMcpError

SERVICE = "clerk-mcp-setup"
BACKEND_ENV = "CLERK_MCP_VAULT"
FILE_ENV = "CLERK_MCP_VAULT_FILE"  # "keyring", "file" or unset (auto); tests and headless hosts set "file"
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
Backend = Literal["keyring", "file"]


class VaultError(ClerkMcpError):
    """The vault could not store or read a secret."""


def vault_file() -> Path:
    """The fallback file: `$CLERK_MCP_VAULT_FILE`, else `<user config dir>/clerk-mcp-setup/vault.json`.

    The installer writes CLERK_MCP_VAULT_FILE into entries of clients that start servers without the XDG_*
    variables (Codex), so the server finds the file the installer wrote."""
    pinned = os.environ.get(FILE_ENV)
    if pinned and os.path.isabs(pinned):
        return Path(pinned)
    from platformdirs import user_config_path

    return user_config_path(SERVICE, appauthor=False) / "vault.json"


def _keyring_usable() -> bool:
    """True when `keyring` has a real backend (not the 'fail' or a null one)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise VaultError(
            f"Invalid vault entry name {name!r}.",
            "Use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
        )
    return name


@dataclass(frozen=True)
class Vault:
    """A named-secret store with one backend chosen at construction."""

    backend: Backend
    path: Path

    @classmethod
    def open(cls, backend: Backend | None = None, path: Path | None = None) -> Vault:
        """Pick the backend: explicit, else $CLERK_MCP_VAULT, else keyring when usable, else the file."""
        choice = backend or os.environ.get(BACKEND_ENV) or None
        if choice not in (None, "keyring", "file"):
            raise VaultError(f"{BACKEND_ENV} must be 'keyring' or 'file', got {choice!r}.")
        if choice is None:
            choice = "keyring" if _keyring_usable() else "file"
        return cls(backend=choice, path=path or vault_file())  # type: ignore[arg-type]

    def describe(self) -> str:
        """Where secrets go, in words for the user."""
        if self.backend == "keyring":
            import keyring

            return f"the OS keyring ({type(keyring.get_keyring()).__name__}), service '{SERVICE}'"
        return f"{self.path} (readable only by you)"

    def get(self, name: str) -> str | None:
        check_name(name)
        if self.backend == "keyring":
            import keyring

            try:
                return keyring.get_password(SERVICE, name)
            except Exception as exc:  # keyring backends raise many types
                raise VaultError(f"The OS keyring could not be read: {type(exc).__name__}.") from None
        return self._read_file().get(name)

    def put(self, name: str, secret: str) -> None:
        check_name(name)
        if self.backend == "keyring":
            import keyring

            try:
                keyring.set_password(SERVICE, name, secret)
            except Exception as exc:
                raise VaultError(
                    f"The OS keyring refused to store the key: {type(exc).__name__}.",
                    f"Set {BACKEND_ENV}=file to keep it in a file only you can read instead.",
                ) from None
            return
        with self._locked():
            data = self._read_file()
            data[name] = secret
            self._write_file(data)

    def delete(self, name: str) -> bool:
        """Remove a secret; False when there was none."""
        check_name(name)
        if self.backend == "keyring":
            import keyring
            from keyring.errors import PasswordDeleteError

            try:
                keyring.delete_password(SERVICE, name)
            except PasswordDeleteError:
                return False
            return True
        with self._locked():
            data = self._read_file()
            if name not in data:
                return False
            del data[name]
            self._write_file(data)
        return True

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the vault file's lock, so two installs storing different keys at once both keep theirs."""
        from clerk_mcp_setup.files.lock import locked

        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with locked(self.path):
            yield

    def _read_file(self) -> dict[str, str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise VaultError(f"Cannot read the vault file {self.path}: {exc.strerror}.") from None
        try:
            data = json.loads(text or "{}")
        except ValueError as exc:
            raise VaultError(
                f"The vault file {self.path} is not valid JSON (line {exc.lineno}).",  # type: ignore[attr-defined]
                "Fix or delete it, then store the key again with clerk-mcp-setup.",
            ) from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise VaultError(f"The vault file {self.path} does not hold name → secret pairs.")
        return data

    def _write_file(self, data: dict[str, str]) -> None:
        """Atomic replace of a 0600 file in a 0700 directory: never a moment with the key readable by others."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".vault-", suffix=".tmp")
        try:
            os.chmod(tmp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
