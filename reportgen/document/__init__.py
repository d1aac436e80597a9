"""The issued document: a checked Report and a profile in, a GB/T 9704 DOCX (and a PDF preview) out.

``render`` orchestrates; ``context`` builds the template variables; ``blank`` and ``styles`` make the
blank package with python-docx once per style; ``content`` and ``tables`` write the body as XML text into
``body``'s ReportDocument, which saves it into that package; ``pdf`` converts through LibreOffice. Imports ``formats``, ``model`` and
``profile``; never ``workbook``, ``checks`` or ``batch``.
"""
