"""The clerk workbook: a format definition in, an .xlsx out (``writer``); a filled .xlsx (or the JSON
exchange file) in, a ``ReadResult`` (Report, findings, cell locations) out (``reader``, ``exchange``).

Imports ``formats``, ``model`` and ``checks`` (findings, figure typing); never ``document`` or later stages.
"""
