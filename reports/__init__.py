"""Reports: PDF and CSV documents made by Celery workers, stored through Django's storage API.

A request creates a `ReportJob` (queued) and enqueues `reports.tasks.render_report` once the
transaction commits; the worker renders the file, stores it and marks the job ready (or failed,
with the reason). Only the job's owner can download the file.

The CSV export is one ZIP archive holding one CSV per table (`plans.csv`, `goals.csv`,
`tasks.csv`, `progress_entries.csv`): every table keeps its own columns, and each file opens
directly in a spreadsheet. See `reports.exports` for the rules of the cells.
"""
