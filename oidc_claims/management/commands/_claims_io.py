"""Reading JSON files and printing import reports for the claim-configuration commands."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from oidc_claims.json_limits import DOCUMENT_MAX_DEPTH, too_deep_message
from oidc_claims.revisions.context import comment_problem
from oidc_claims.transfer.importer import ImportReport


def read_json(path: str) -> Any:
    """The JSON in ``path`` (``-`` reads standard input); CommandError if it is not JSON."""
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from exc
    except RecursionError:
        raise CommandError(
            f"{path}: {too_deep_message(DOCUMENT_MAX_DEPTH)}; nothing was imported."
        ) from None


def write_report(report: ImportReport, stdout: OutputWrapper, style: Any) -> None:
    """One line per change and per skipped entry, then a summary."""
    for change in report.changes:
        detail = f" ({', '.join(change.fields)})" if change.fields else ""
        stdout.write(f"{change.action:9} {change.kind} {change.key}{detail}")
    for skipped in report.skipped:
        stdout.write(style.WARNING(f"skipped   {skipped.name}: {skipped.reason}"))
    summary = (
        f"{report.count('create')} created, {report.count('update')} updated, "
        f"{report.count('unchanged')} unchanged, {len(report.skipped)} skipped"
    )
    if report.dry_run:
        stdout.write(style.WARNING(f"Dry run, nothing changed: would be {summary}."))
    else:
        stdout.write(style.SUCCESS(f"Imported: {summary}."))


def rejected(errors: list[str]) -> CommandError:
    """The error that lists every problem of a rejected import."""
    lines = "\n".join(f"  - {error}" for error in errors)
    return CommandError(f"Import refused, nothing was changed. {len(errors)} error(s):\n{lines}")


def checked_comment(comment: str) -> str:
    """The ``--comment`` of a command that changes the configuration, or CommandError."""
    problem = comment_problem(comment)
    if problem is not None:
        raise CommandError(f"--comment: {problem}")
    return comment
