"""Many files at once: a folder of workbooks in, per-file outcomes, a summary workbook and a combined
(summed) workbook out. Runs the single-file API in worker processes; imports every earlier stage.
"""

FILE_TIME_LIMIT = 300.0  # seconds per file; a normal workbook takes about one
