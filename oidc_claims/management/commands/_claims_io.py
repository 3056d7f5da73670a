"""Reading JSON files and printing import reports for the claim-configuration commands."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from oidc_claims.json_limits import DOCUMENT_MAX_DEPTH, too_deep_message
from oidc_claims.management.commands._claim_test_output import failure_lines
from oidc_claims.management.commands._impact_output import (
    IMPACT_HELP,
    dry_run_with_impact,
    wants_impact,
    write_impact,
)
from oidc_claims.management.commands._issuer import BASE_URL_HELP, issuer_request
from oidc_claims.preview.claim_test_gate import GateOutcome, check_change, tests_required
from oidc_claims.revisions.context import Channel, change_context, comment_problem
from oidc_claims.transfer.importer import ImportRejected, ImportReport


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


def claim_tests_refusal(outcome: GateOutcome, *, required: bool) -> CommandError:
    """The error of an import that would make passing claim tests fail (nothing imported)."""
    lines = []
    for result in outcome.newly_failing():
        lines.append(f"  - {result.name}")
        lines.extend(f"      {line}" for line in failure_lines(result))
    count = len(outcome.newly_failing())
    if required:
        fix = "OIDC_CLAIMS['CLAIM_TESTS_REQUIRED'] is on: change the file (or the tests)."
    else:
        fix = "Run again with --confirm-failing-tests to import it anyway."
    return CommandError(
        f"Import refused, nothing was changed: it makes {count} passing claim test(s) fail. "
        f"{fix}\n" + "\n".join(lines)
    )


class ImportCommand(BaseCommand):
    """A command that imports a JSON file into the claim configuration: ``FILE``,
    ``--dry-run``, ``--impact``, ``--comment`` and ``--confirm-failing-tests``; one revision
    by the command's name. The enabled claim tests run first, with the import applied and
    rolled back, as for every other write: one that passes now and would fail refuses it.

    Subclasses give ``help`` and :meth:`apply`.
    """

    def apply(self, document: Any, *, dry_run: bool) -> ImportReport:
        """Import ``document``; raise ImportRejected listing every error."""
        raise NotImplementedError

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The JSON file ('-' reads standard input).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        parser.add_argument("--impact", action="store_true", help=IMPACT_HELP)
        parser.add_argument(
            "--comment", default="", help="Why: kept with the revision the import records."
        )
        parser.add_argument(
            "--confirm-failing-tests",
            action="store_true",
            help="Import even when it makes passing claim tests fail (never with "
            "CLAIM_TESTS_REQUIRED).",
        )
        parser.add_argument("--base-url", default="http://localhost", help=BASE_URL_HELP)

    def handle(
        self,
        *args: Any,
        file: str,
        dry_run: bool = False,
        impact: bool = False,
        comment: str = "",
        confirm_failing_tests: bool = False,
        base_url: str = "http://localhost",
        **options: Any,
    ) -> None:
        comment = checked_comment(comment)
        author = self.__module__.rsplit(".", 1)[-1]  # the command's name
        with change_context(Channel.COMMAND, author=author, comment=comment):
            self._import(read_json(file), dry_run, impact, confirm_failing_tests, base_url)

    def _import(
        self, document: Any, dry_run: bool, impact: bool, confirmed: bool, base_url: str
    ) -> None:
        impact_report = None
        try:
            if not dry_run:
                self._check_claim_tests(document, confirmed, issuer_request(base_url))
            if wants_impact(impact, dry_run):
                report, impact_report = dry_run_with_impact(
                    lambda dry: self.apply(document, dry_run=dry)
                )
            else:
                report = self.apply(document, dry_run=dry_run)
        except ImportRejected as exc:
            raise rejected(exc.errors) from exc
        write_report(report, self.stdout, self.style)
        if impact_report is not None:
            write_impact(impact_report.as_dict(), self.stdout, self.style)

    def _check_claim_tests(self, document: Any, confirmed: bool, request: Any) -> None:
        outcome = check_change(lambda: self.apply(document, dry_run=False), request=request)
        if outcome is None or not outcome.breaks_tests:
            return
        required = tests_required()
        if required or not confirmed:
            raise claim_tests_refusal(outcome, required=required)
        names = ", ".join(result.name for result in outcome.newly_failing())
        self.stderr.write(self.style.WARNING(f"Imported although claim tests fail: {names}."))
