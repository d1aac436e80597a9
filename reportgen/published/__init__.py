"""Published reports read back: a report as an agency published it (saved web page, PDF with a text layer,
DOCX, or the plain text of a page) in, the same ``ReadResult`` (Report, findings, printed locations) out.

sources.py turns each kind of file into one text with its tables as ``cell | cell |`` rows; labels.py finds
the format definitions' labels in it, tolerating what agencies really print; cells.py splits the figures
after a label into cells; reader.py assembles the report. Imports formats, checks (findings, figures) and
model; the heavy readers (pdfplumber, lxml.html, python-docx) are imported only when such a file is read.
"""
