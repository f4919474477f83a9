"""Errors an import can meet, each with a stable code for the API."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class ImportProblem(UserFacingError):
    code = "import_error"
    default_message = _("The import could not be done.")


class ImportFileEmpty(ImportProblem):
    code = "file_empty"
    default_message = _("The file is empty.")


class ImportFileMissing(ImportProblem):
    code = "file_missing"
    default_message = _("Choose a file to import.")


class ImportFileTooLarge(ImportProblem):
    code = "file_too_large"
    default_message = _("The file is larger than 50 MB. Split it into smaller files.")


class ImportFileUnsupported(ImportProblem):
    code = "file_unsupported"
    default_message = _("This is not a CSV or XLSX file.")


class ImportFileEncoding(ImportProblem):
    code = "file_encoding"
    default_message = _("The file's text could not be read: save it as UTF-8 (or Windows-1251) CSV and try again.")


class ImportFileUnsafe(ImportProblem):
    code = "file_unsafe"
    default_message = _("The XLSX file unpacks to far more data than it holds and was refused.")


class ImportFileBroken(ImportProblem):
    code = "file_broken"
    default_message = _("The file could not be read. Save it again as CSV or XLSX and try again.")


class ImportMappingError(ImportProblem):
    code = "mapping_invalid"
    default_message = _("The column mapping is not valid.")


class ImportStateError(ImportProblem):
    code = "import_state"
    default_message = _("This import cannot do that now.")


class ImportAlreadyUndone(ImportProblem):
    code = "already_undone"
    default_message = _("This import has already been undone.")


class ImportPermissionError(ImportProblem):
    code = "permission_denied"
    default_message = _("You do not have permission to import records.")
