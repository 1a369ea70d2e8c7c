"""Import targets: what a file can be imported as, and the registry the generic parts use.

A target declares its columns (a `ColumnMapping` subclass whose `matcher` lists the `Column`s:
field, label, synonyms, required, unit), its keys and its writer, by implementing the methods
below. The generic stages call them: the wizard (imports.views), the queue and the background
task (imports.queue, imports.tasks) and the error report (imports.report). An `ImportBatch`
records its target's name (`ImportBatch.target`).

Targets: "enterprises" (enterprises.importing.target) and "schedule", the 重点项目进度表
(projects.importing.target).
"""

from functools import cache

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

TARGETS = {
    "enterprises": "enterprises.importing.target.TARGET",
    "schedule": "projects.importing.target.TARGET",
}


class Target:
    """The interface of a target (subclass it; see the two targets for examples)."""

    name: str  # stored on ImportBatch.target
    namespace: str  # URL namespace of its wizard
    title = ""  # "Import enterprises"
    list_url = ""  # where the imported records are listed
    list_label = ""
    mapping_class = None  # a imports.headers.ColumnMapping subclass
    upload_form = None
    mapping_form = None
    upload_template = "imports/upload.html"
    batch_template = "imports/batch.html"
    upload_help: tuple = ()
    upload_step = _("1. Upload the list")
    writer = None  # the target's writer module: analyse, classify, new_batch, rerun_batch

    def options(self, cleaned_data: dict) -> dict:
        """The import options chosen on a form (stored on the batch)."""
        return {}

    def batch_options(self, batch) -> dict:
        return dict(batch.summary.get("options", {}))

    def store_options(self, batch, options: dict) -> None:
        batch.summary = {**batch.summary, "options": options}

    def analyse(self, data: bytes, *, mapping=None, options: dict, progress=None):
        """(mapping, validated) or ImportFileError (AmbiguousColumns when the admin must
        choose a column)."""
        raise NotImplementedError

    def classify(self, park, validated, options: dict):
        """What a write would do, without writing: an object the preview stores."""
        return self.writer.classify(park, validated)

    def new_batch(self, *, park, data: bytes, file_name: str, user, mapping, validated,
                  options: dict):
        raise NotImplementedError

    def store_preview(self, batch, mapping, validated, counts) -> None:
        """Keep the mapping, the row counts and errors of the analysis and what a commit
        would do (`counts`, from classify) on the batch."""
        batch.column_mapping = mapping.to_json()
        if validated is not None:
            batch.total_rows = validated.total_rows
            batch.rejected_count = validated.rejected_rows
            batch.errors = validated.error_dicts()
            self.summarise(batch, validated, counts)
        if counts is not None:
            batch.created_count, batch.updated_count = counts.created, counts.updated
            batch.unchanged_count = counts.unchanged
        batch.save()

    def summarise(self, batch, validated, counts) -> None:
        """The target's own part of the preview on the batch (`batch.summary`); none here."""

    def rerun(self, batch, *, progress=None, dry_run: bool = False):
        """Re-read the batch's stored file with its mapping and options, and commit it (or
        only classify it, for a dry run). Returns an outcome with as_json()."""
        return self.writer.rerun_batch(batch, progress=progress, dry_run=dry_run)

    def preview_context(self, batch) -> dict:
        """Extra context for the batch page."""
        return {}


@cache
def get_target(name: str) -> Target:
    try:
        return import_string(TARGETS[name])
    except KeyError:
        raise LookupError(f"no import target {name!r}") from None


def target_of(batch) -> Target:
    return get_target(batch.target or "enterprises")
