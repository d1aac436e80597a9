"""Validation: a Report (and last year's) in, findings out.

Findings are data (code, severity, sheet, cell, message, expected, actual) declared once in ``findings``;
``figures`` says what a valid figure is, ``rules`` and ``narrative`` hold the checks, ``catalogue`` prints
the rules. Imports ``formats`` and ``model`` only, never ``workbook``, ``document`` or later stages.
"""
