"""Operational errors: each says when it is raised; the CLI maps them to exit codes in one place."""


class ReportgenError(Exception):
    """Base class; ``str(error)`` is a complete Chinese message for the user."""

    exit_code = 3


class InputError(ReportgenError):
    """Raised when an input file cannot be read as a reportgen workbook (missing, corrupt, foreign)."""

    exit_code = 3


class RefusedError(ReportgenError):
    """Raised when readable inputs cannot be used together (summing mixed years, or files with errors)."""

    exit_code = 1


class ProfileError(ReportgenError):
    """Raised when a profile's settings or templates are invalid."""

    exit_code = 3


class OutputError(ReportgenError):
    """Raised when an output file cannot be written (the previous file, if any, is left untouched)."""

    exit_code = 3


class PdfConversionError(ReportgenError):
    """Raised when LibreOffice is missing, fails or times out while converting a DOCX to PDF."""

    exit_code = 3
