"""Shared by the `test_tui_*` suites: a wizard on a faked machine, and pilots that wait for work to finish."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.pilot import Pilot

from clerk_mcp_setup.clients import Client, Detection, Env, get_client
from clerk_mcp_setup.install import installer
from clerk_mcp_setup.install.launch import Launcher
from clerk_mcp_setup.tui.app import WizardApp

KEY = "sk_test_WizardKEY0123456789abcd"
FAKE_LAUNCHER = Launcher("/opt/clerk/bin/clerk-mcp-server")


def fake_detector(found: Iterable[str] = ("cursor", "claude-desktop")) -> object:
    """Detection without touching PATH or the disk: `found` are installed, the rest not."""
    present = set(found)

    def detect(client: Client) -> Detection:
        if client.id in present:
            return Detection(client.id, True, (f"config file found at ~/.{client.id}",))
        return Detection(client.id, False, (f"not found: looked at ~/.{client.id}",))

    return detect


def make_app(
    home: Path,
    *,
    found: Iterable[str] = ("cursor", "claude-desktop"),
    start: str = "clients",
    fake_launcher: bool = False,
) -> WizardApp:
    """The real app on a Linux machine whose home is `home`; project scope goes to `home/project`."""
    project = home / "project"
    project.mkdir(exist_ok=True)
    return WizardApp(
        start,
        env=Env("linux", {}, home),
        detector=fake_detector(found),  # type: ignore[arg-type]
        launcher=FAKE_LAUNCHER if fake_launcher else None,
        project=project,
        verify_timeout=30.0,
    )


async def wait_for(pilot: Pilot[object], condition: object, timeout: float = 40.0) -> None:
    """Pause until `condition()` is true (work runs in workers and threads)."""
    for _ in range(int(timeout / 0.05)):
        if condition():  # type: ignore[operator]
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out waiting for the app")


async def finish_apply(pilot: Pilot[object]) -> None:
    """Wait for the Apply screen to write and verify everything."""
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "finished", False))


async def paste(pilot: Pilot[object], text: str) -> None:
    """Paste into the key field as a terminal does (bracketed paste), after tabbing to it."""
    from textual import events
    from textual.widgets import Input

    await pilot.press("tab")
    pilot.app.screen.query_one(Input).post_message(events.Paste(text))
    await pilot.pause()


async def go_to(pilot: Pilot[object], screen: str, *, key: str | None = KEY, clients: Iterable[str] = ()) -> None:
    """Walk the install flow up to `screen` (Key, Tools, Review), picking `clients` and typing `key`."""
    await pilot.pause()
    for client_id in clients:
        shown = [c.id for c in pilot.app.screen.shown]  # type: ignore[attr-defined]
        if client_id not in shown:
            await pilot.press("a")  # show all clients, not only the ones found here
            await pilot.pause()
            shown = [c.id for c in pilot.app.screen.shown]  # type: ignore[attr-defined]
        await pilot.press(*["down"] * shown.index(client_id), "space")
        await pilot.press("home")
    await pilot.press("ctrl+n")
    await pilot.pause()
    if screen == "Key":
        return
    if key is None:
        await pilot.press("down", "enter")  # the demo radio button
    else:
        await paste(pilot, key)
    await pilot.press("ctrl+n")
    await pilot.pause()
    if screen == "Tools":
        return
    await pilot.press("ctrl+n")
    await pilot.pause()


def install_demo(client: str, home: Path, launcher: Launcher | None = None, scope: str = "user") -> installer.Plan:
    """An entry installed through the engine, as `clerk-mcp-setup --client … --demo --yes` would."""
    target = installer.Target(get_client(client), scope, home / "project" if scope != "user" else None)  # type: ignore[arg-type]
    plan = installer.plan_install(installer.Request(targets=(target,), demo=True), Env("linux", {}, home), launcher)
    installer.apply(plan)
    return plan
