"""The enterprise list as an import target (imports.targets): its columns are
enterprises.importing.headers, its rows are checked by validate.py and written by writer.py."""

from django.utils.translation import gettext_lazy as _

from enterprises.importing import writer
from enterprises.importing.forms import MappingForm, UploadForm
from enterprises.importing.headers import ColumnMapping
from imports.targets import Target


class EnterpriseTarget(Target):
    name = "enterprises"
    namespace = "imports"
    title = _("Import enterprises")
    list_url = "enterprises:list"
    list_label = _("Enterprises")
    mapping_class = ColumnMapping
    upload_form = UploadForm
    mapping_form = MappingForm
    writer = writer
    upload_help = (
        _("A title above the header row, headers in Chinese or English in any order, "
          "full-width digits, amounts such as 1,200 or 1200万元 and dates such as 2024年3月5日 "
          "are all understood."),)

    def options(self, cleaned_data):
        if "accept_bad_checksum" in cleaned_data:
            return {"accept_bad_checksum": cleaned_data["accept_bad_checksum"]}
        return {}

    def batch_options(self, batch):
        return {"accept_bad_checksum": batch.accept_bad_checksum}

    def store_options(self, batch, options):
        batch.accept_bad_checksum = bool(options.get("accept_bad_checksum"))

    def analyse(self, data, *, mapping=None, options, progress=None):
        return writer.analyse(data, mapping=mapping, progress=progress,
                              accept_bad_checksum=bool(options.get("accept_bad_checksum")))

    def new_batch(self, *, park, data, file_name, user, mapping, validated, options):
        return writer.new_batch(park=park, data=data, file_name=file_name, user=user,
                                mapping=mapping, validated=validated,
                                accept_bad_checksum=bool(options.get("accept_bad_checksum")))


TARGET = EnterpriseTarget()
