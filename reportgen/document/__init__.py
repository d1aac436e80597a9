"""GB/T 9704 official-document DOCX: new_document, then title, headings, body and tables, then sign-off."""

from reportgen.document.blank import new_document
from reportgen.document.content import add_body, add_heading, add_sign_off, add_title
from reportgen.document.tables import GridCell, add_grid_table

__all__ = ["new_document", "add_title", "add_heading", "add_body",
           "GridCell", "add_grid_table", "add_sign_off"]
