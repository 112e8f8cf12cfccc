"""The non-interactive commands: each builds a plan with the installer, shows it, confirms, applies, reports.

Only this module and the wizard print; the installer returns values and raises typed errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from clerk_mcp_setup.clients import CLIENTS, Client, Env, detect, get_client
from clerk_mcp_setup.clients.vscode import VsCode
from clerk_mcp_setup.errors import EXIT_OK, EXIT_USAGE, EXIT_VERIFY, UsageError
from clerk_mcp_setup.files import list_backups, read_snapshot, restore_backup
from clerk_mcp_setup.install import installer, travel, wal
from clerk_mcp_setup.install.keys import KeyChoiceError, key_of_record
from clerk_mcp_setup.install.manifest import Manifest, backup_dir
from clerk_mcp_setup.output import emit, project_dir
from clerk_mcp_setup.scope import resolve
from clerk_mcp_setup.secrets import key_kind, mask, mask_text
from clerk_mcp_setup.signin_commands import remote_fields, sign_in_state

DRY_RUN_KEY = "sk_test_PLACEHOLDERxxxxxxxx"


def _targets(args: argparse.Namespace, env: Env) -> tuple[installer.Target, ...]:
    clients: list[Client] = [get_client(c) for c in args.client]
    if args.all_detected:
        clients += [c for c in CLIENTS if detect(c, env).present and c not in clients]
        if not clients:
            raise UsageError("--all-detected found no AI client on this machine.", "Name one with --client.")
    scope = args.scope or ("project" if args.project else "user")
    project = project_dir(args.project or (".") if scope in ("project", "local") else None)
    targets = []
    profile = getattr(args, "profile", None)
    if profile and not any(isinstance(c, VsCode) for c in clients):
        raise UsageError("--profile picks VS Code profiles, and no VS Code is chosen.", "Add --client vscode.")
    for client in dict.fromkeys(clients):
        if scope not in client.scopes:
            raise UsageError(f"{client.name} has no {scope} scope.", f"{client.name} has: {', '.join(client.scopes)}.")
        variant = profile if isinstance(client, VsCode) and scope == "user" else None
        targets.append(installer.Target(client, scope, project, variant))
    return tuple(targets)


def _storage(args: argparse.Namespace) -> str:
    if args.key_storage:
        if args.key_env and args.key_storage != "env":
            raise UsageError("--key-env goes with --key-storage env.")
        return str(args.key_storage)
    return "env" if args.key_env else "vault"


def request_from_args(args: argparse.Namespace, key: str | None, env: Env) -> installer.Request:
    if args.tools is not None:
        resolve(args.tools, read_only=args.read_only)  # a bad pattern fails here, before any file is read
    headers = []
    for raw in args.header:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"--header {raw!r} is not 'Name: value'.")
        headers.append((name.strip(), value.strip()))
    if headers and not args.remote:
        raise UsageError("--header only applies with --remote URL.")
    targets = _targets(args, env)
    return installer.Request(
        targets=targets,
        name=args.name,
        tools=tuple(args.tools) if args.tools is not None else None,
        read_only=args.read_only,
        secret_key=key,
        key_storage=travel.default_storage(_storage(args), args.key_storage, targets),  # type: ignore[arg-type]
        key_env=args.key_env or installer.KEY_VAR,
        remote_url=args.remote,
        headers=tuple(headers),
        **remote_fields(args, bool(headers)),
        secret_headers=tuple(getattr(args, "secret_header", []) or []),
        api_url=args.api_url,
        demo=args.demo,
        force_plain=args.force_plain_text,
        use_stored_key=getattr(args, "use_stored_key", None),
        replace=args.replace,
    )


def _confirm(plan: installer.Plan, args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(
            "Nothing was written: there is no terminal to confirm on.", "Pass --yes to apply, or --dry-run."
        )
    answer = input("Write these changes? [y/N] ").strip().lower()
    return answer in ("y", "yes")


def _plan_text(plan: installer.Plan, show_diff: bool) -> str:
    lines = []
    for change in plan.changes:
        clients = ", ".join(sorted({r.client for r in change.records})) or "uninstall"
        lines.append(f"{change.action:<9} {change.path}  ({clients})")
        lines += [f"  note: {n}" for n in change.notes]
        if show_diff and change.diff:
            lines.append(change.diff.rstrip("\n"))
    for name, _ in plan.vault_writes:
        lines.append(f"store key  '{name}' in the vault")
    for name in plan.vault_deletes:
        lines.append(f"delete key '{name}' from the vault")
    lines += [f"note: {n}" for n in plan.notes]
    return mask_text("\n".join(lines), plan.secrets)


def _plan_data(plan: installer.Plan, applied: list[installer.Applied] | None) -> dict[str, Any]:
    backups = {id(a.change): str(a.backup) if a.backup else None for a in applied or []}
    return {
        "changes": [
            {
                "path": str(c.path),
                "action": c.action,
                "clients": sorted({r.client for r in c.records}),
                "entries": [{"client": r.client, "scope": r.scope, "name": r.name} for r in c.records],
                "diff": c.diff,
                "notes": c.notes,
                "backup": backups.get(id(c)),
            }
            for c in plan.changes
        ],
        "vault": {"store": [n for n, _ in plan.vault_writes], "delete": plan.vault_deletes},
        "notes": plan.notes,
        "applied": applied is not None,
    }


def _verify_text(results: list[Any]) -> list[str]:
    lines = []
    for r in results:
        head = f"{r.client} ({r.scope}) '{r.name}'"
        if r.status == "sign-in-required":  # reachable, waiting for a sign-in: its own state, not a failure
            lines.append(f"· {head}: {r.evidence[0] if r.evidence else 'sign-in required'}")
            lines += [f"    {e}" for e in r.evidence[1:2]]
        elif r.ok:
            lines.append(
                f"✔ {head}: {r.tools} tools, protocol {r.protocol_version}, "
                f"server {r.server_version}, {r.seconds:.2f} s"
            )
        else:
            lines.append(f"✘ {head}: {r.status}")
            lines += [f"    {e}" for e in r.evidence]
            if r.hint:
                lines.append(f"    fix: {r.hint}")
        lines += [f"    note: {n}" for n in dict.fromkeys(r.notes)]
    return lines


def verify_records(records: list[Any], args: argparse.Namespace) -> list[Any]:
    """Verify, and remember the outcome in the manifest."""
    from clerk_mcp_setup.verify import held as held_back
    from clerk_mcp_setup.verify.core import record_outcome, run_verify

    allowed = getattr(args, "allow_edited", False)
    held = {id(r): held_back.not_started(r) for r in records if not allowed}
    run = [r for r in records if held.get(id(r)) is None]
    started = iter(run_verify(run, timeout=args.timeout, check_key=args.check_key) if run else [])
    results = [held.get(id(r)) or next(started) for r in records]
    record_outcome(run, [r for r in results if r.status != held_back.NOT_STARTED])
    return results


def _run(plan: installer.Plan, args: argparse.Namespace, after: list[str] | None = None) -> int:
    """Show, confirm, apply, verify, report: the same for install, refresh and uninstall."""
    verify = not getattr(args, "no_verify", True) and not args.dry_run
    records = [r for c in plan.changes for r in c.records]
    if not plan.changed:
        results = verify_records(records, args) if verify and records else []
        emit(
            _plan_data(plan, []) | {"changed": False, "verify": [r.to_dict() for r in results]},
            "\n".join([_plan_text(plan, False), "Nothing to change.", *_verify_text(results)]),
            args.json,
        )
        return EXIT_OK if all(r.ok for r in results) else EXIT_VERIFY
    if args.dry_run:
        emit(_plan_data(plan, None), _plan_text(plan, True), args.json)
        return EXIT_OK
    if not args.json:
        print(_plan_text(plan, True), file=sys.stderr)
    if not _confirm(plan, args):
        print("Nothing was written.", file=sys.stderr)
        return EXIT_USAGE
    applied = installer.apply(plan, force_write=getattr(args, "force", False))
    text = [
        f"{a.change.action:<9} {a.change.path}" + (f"  (backup: {a.backup})" if a.backup else "")
        for a in applied
        if a.written
    ]
    results = verify_records(records, args) if verify and records else []
    emit(
        _plan_data(plan, applied) | {"next_steps": after or [], "verify": [r.to_dict() for r in results]},
        mask_text("\n".join(text + _verify_text(results) + (after or [])), plan.secrets),
        args.json,
    )
    return EXIT_OK if all(r.ok for r in results) else EXIT_VERIFY


def install(args: argparse.Namespace, read_key: str | None) -> int:
    env = Env.current()
    request = request_from_args(args, read_key, env)
    notes = wal.reconcile()
    placeholder = False
    try:
        try:
            plan = installer.plan_install(request, env)
        except KeyChoiceError as choice:
            if not (sys.stdin.isatty() and sys.stderr.isatty()) or args.json:
                raise
            request = dataclasses.replace(request, use_stored_key=ask_stored_key(choice))
            plan = installer.plan_install(request, env)
    except UsageError as exc:
        if not (args.dry_run and not read_key and "needs the secret key" in exc.message):
            raise
        request, placeholder = dataclasses.replace(request, secret_key=DRY_RUN_KEY), True
        plan = installer.plan_install(request, env)  # the plan on a machine with no key yet
    plan.notes[:0] = notes
    travel.add_notes(plan)
    if placeholder:
        plan.notes.insert(0, "no key given: the diff shows a placeholder; the real run asks for the key")
    elif request.secret_key:
        plan.notes.insert(0, f"key {mask(request.secret_key)} ({key_kind(request.secret_key)} instance)")
    steps = [f"next ({t.client.name}): {step}" for t in request.targets for step in t.client.steps_after(t.scope)]
    return _run(plan, args, list(dict.fromkeys(steps)))


def ask_stored_key(choice: KeyChoiceError) -> str:
    """On a terminal: list the stored keys and let the person pick one by number (a face-side prompt)."""
    print(choice.message.splitlines()[0], file=sys.stderr)
    for n, key in enumerate(choice.keys, 1):
        print(f"  {n}. {key.label()}", file=sys.stderr)
    answer = input(f"Use which stored key? [1-{len(choice.keys)}, empty to cancel] ").strip()
    if answer.isdigit() and 1 <= int(answer) <= len(choice.keys):
        return choice.keys[int(answer) - 1].slot
    raise UsageError("No key chosen; nothing was written.", choice.hint)


def _records(args: argparse.Namespace, manifest: Manifest) -> list[Any]:
    clients = [get_client(c).id for c in args.client] or [None]
    records = [r for c in clients for r in manifest.find(c, args.name)]
    if not records:
        raise UsageError("No matching entry installed by clerk-mcp-setup.", "See `clerk-mcp-setup status`.")
    return records


def refresh(args: argparse.Namespace) -> int:
    from clerk_mcp_setup.install import repair

    notes = wal.reconcile()
    plan = repair.plan_refresh(_records(args, Manifest.load()), force=args.force)
    plan.notes[:0] = notes
    return _run(plan, args)


def uninstall(args: argparse.Namespace) -> int:
    notes = wal.reconcile()
    plan = installer.plan_uninstall(_records(args, Manifest.load()), force=args.force, purge_key=args.purge_key)
    plan.notes[:0] = notes
    return _run(plan, args)


def verify(args: argparse.Namespace) -> int:
    wal.reconcile()
    results = verify_records(_records(args, Manifest.load()), args)
    ok = sum(r.ok for r in results)
    emit(
        {"verify": [r.to_dict() for r in results]},
        "\n".join([*_verify_text(results), f"{ok}/{len(results)} entries work."]),
        args.json,
    )
    return EXIT_OK if ok == len(results) else EXIT_VERIFY


def status(args: argparse.Namespace) -> int:
    from clerk_mcp_setup.install import repair

    env = Env.current()
    settled = wal.reconcile()
    manifest = Manifest.load()
    entries = [
        {
            "client": r.client,
            "scope": r.scope,
            "name": r.name,
            "path": r.path,
            "state": installer.entry_state(r),
            "tools": r.tools or "default",
            "read_only": r.read_only,
            "key_storage": r.key_storage,
            "key": key_of_record(r),
            "installed_at": r.installed_at,
            "verified_at": r.verified_at or None,
            "sign_in": sign_in_state(r),
        }
        for r in manifest.records
    ]
    unrecorded = repair.unrecorded(manifest, env, Path.cwd())
    detected = []
    for client in CLIENTS:
        found = detect(client, env)
        detected.append(
            {"client": client.id, "name": client.name, "present": found.present, "reasons": list(found.reasons)}
        )
    lines = (
        ["Installed entries:"]
        + [
            f"  {e['client']:<15} {e['scope']:<8} {e['name']:<12} {e['state']:<12} {e['path']}\n"
            f"  {'':<15} key: {e['key']['text']}" + (f"; sign-in: {e['sign_in']}" if e["sign_in"] else "")
            for e in entries
        ]
        if entries
        else ["No entries installed by clerk-mcp-setup."]
    )
    lines += repair.state_explanations({str(e["state"]) for e in entries})
    if unrecorded:
        lines.append("Found, not recorded (they run our server; the next install with that name adopts them):")
        lines += [f"  {u['client']:<15} {u['scope']:<8} {u['name']:<12} {u['path']}" for u in unrecorded]
    lines += [f"note: {n}" for n in settled]
    lines.append("Clients on this machine:")
    lines += [f"  ✔ {d['name']:<20} {d['reasons'][0] if d['reasons'] else ''}" for d in detected if d["present"]]
    absent = [str(d["name"]) for d in detected if not d["present"]]
    if absent:  # 28 clients: the ones not here fit on one line (--json has each with where we looked)
        lines.append(f"  · not found ({len(absent)}): {', '.join(absent)}")
    data: dict[str, Any] = {
        "entries": entries,
        "unrecorded": unrecorded,
        "clients": detected,
        "manifest": str(manifest.path),
        "notes": settled,
    }
    if not args.verify or not manifest.records:
        emit(data, "\n".join(lines), args.json)
        return EXIT_OK
    results = verify_records(manifest.records, args)
    for entry, result in zip(entries, results, strict=True):
        entry["verify"] = result.to_dict()
    emit(data, "\n".join([*lines, "Verification:", *_verify_text(results)]), args.json)
    return EXIT_OK if all(r.ok for r in results) else EXIT_VERIFY


def restore(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser().resolve()
    backups = list_backups(path, backup_dir())
    if args.list or not backups:
        if not backups:
            raise UsageError(f"No backup of {path} in {backup_dir()}.")
        emit({"backups": [str(b) for b in backups]}, "\n".join(str(b) for b in backups), args.json)
        return EXIT_OK
    chosen = Path(args.backup).expanduser() if args.backup else backups[0]
    if chosen not in backups:
        raise UsageError(f"{chosen} is not a backup of {path}.", "List them with --list.")
    if args.dry_run:
        before = read_snapshot(path).data
        emit(
            {"path": str(path), "backup": str(chosen)},
            installer.unified_diff(path, before, chosen.read_bytes(), ()),
            args.json,
        )
        return EXIT_OK
    if not args.yes and not sys.stdin.isatty():
        raise UsageError("Nothing was restored: there is no terminal to confirm on.", "Pass --yes.")
    if not args.yes and input(f"Restore {path} from {chosen}? [y/N] ").strip().lower() not in ("y", "yes"):
        return EXIT_USAGE
    saved = restore_backup(chosen, path, backup_dir=backup_dir(), expected=read_snapshot(path))
    emit(
        {"path": str(path), "restored_from": str(chosen), "backup_of_current": str(saved) if saved else None},
        f"restored {path} from {chosen}" + (f" (previous content saved as {saved})" if saved else ""),
        args.json,
    )
    return EXIT_OK
