"""The issued document: a checked Report and a profile in, a GB/T 9704 DOCX (and a PDF preview) out.

``render`` orchestrates; ``context`` builds the template variables; ``blank``, ``styles``, ``content`` and
``tables`` lay out the page; ``pdf`` converts through LibreOffice. Imports ``formats``, ``model`` and
``profile``; never ``workbook``, ``checks`` or ``batch``.
"""
