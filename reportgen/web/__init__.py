"""The web service behind `reportgen serve`: a server-rendered Chinese page and a small JSON API for clerks and
offices. Takes HTTP requests (uploaded workbooks, a year and an agency); gives workbooks, findings, DOCX/PDF and
batch summaries. Runs the library (api, batch) in worker processes; may import every earlier stage, and Starlette,
uvicorn and python-multipart, which nothing else imports.
"""
