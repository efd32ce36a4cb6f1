"""``cmdai --setup-backend NAME``: a guided (or, with --yes, scripted) setup that writes config.toml.

Nothing is written until every answer is in and the connection works (or the user says to go
on without it); Ctrl-C at any point leaves the old config as it was.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable

from ..errors import EXIT_INTERRUPTED, EXIT_OK, CmdaiError, UsageError
from .common import Plan, Session, default_config_path, print_next_steps
from .probe import preserved_settings, read_existing
from .ui import Console, Prompter, display_path


def flow_for(name: str) -> Callable[[Session], Any]:
    """The backend's own setup (its ``setup_flow``, "module:Class"), else the generic one driven by its keys."""
    from .. import backends

    try:
        cls = backends.get(name)
    except CmdaiError:
        raise UsageError(f"cannot set up {name!r}", f"choose one of: {', '.join(backends.names())}") from None
    if cls.setup_flow is None:
        from .generic import GenericSetup

        return lambda session: GenericSetup(session, cls)
    from importlib import import_module

    module, _, attribute = cls.setup_flow.partition(":")
    return getattr(import_module(module), attribute)


def config_path(args: argparse.Namespace) -> Path:
    """The file to write: --config, else the one cmdai reads by default."""
    return Path(args.config).expanduser() if getattr(args, "config", None) else default_config_path()


def run_setup(args: argparse.Namespace) -> int:
    """Run the setup for ``args.setup_backend``; return the exit code."""
    name = args.setup_backend
    make_flow = flow_for(name)
    path = config_path(args)
    shown = display_path(path)
    console = Console()
    existing = read_existing(path)
    written = False
    try:
        prompter = None if args.yes else Prompter()
        session = Session(args=args, path=path, console=console, existing=existing,
                          preserved=preserved_settings(existing, name), prompter=prompter)
        flow = make_flow(session)
        if session.interactive:
            console.heading(f"Setting up {flow.title} for cmdai")
            console.note(f"Answers go to {shown}; nothing is written until the end. Ctrl-C stops at any time.")
            console.line()
        plan = flow.plan()
        _save(session, plan)
        written = True
        print_next_steps(session, plan.notes)
        return EXIT_OK
    except KeyboardInterrupt:
        console.line()
        if written:
            console.line(f"Stopped. {shown} was already saved.")
        elif path.exists():
            console.line(f"Setup cancelled: {shown} is untouched.")
        else:
            console.line(f"Setup cancelled: nothing was written ({shown} does not exist).")
        return EXIT_INTERRUPTED


def _save(session: Session, plan: Plan) -> None:
    """Step 7: write the answers, keeping everything else in the file."""
    from ..config_writer import write_config
    from ..settings import nest

    result = write_config(session.path, nest(plan.updates))
    console = session.console
    if not result.changed:
        console.ok(f"{display_path(result.path)} already had these settings")
    elif result.backup is not None:
        console.ok(f"Saved {display_path(result.path)} (the previous version is in {result.backup.name})")
    else:
        console.ok(f"Created {display_path(result.path)}")
