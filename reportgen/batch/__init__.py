"""Many files at once: a folder of workbooks in, per-file outcomes, a summary workbook and a combined
(summed) workbook out. Runs the single-file API in worker processes; imports every earlier stage.
"""
