"""Drafting: a report written from a data file (ReportData as YAML) through templates, and next year's data file.

Light on purpose: the drafting rules (``gidraft.rules.drafting``) import the markers below on the check path;
jinja2 and python-docx are imported only by the modules that render.
"""

UPDATE_MARK = "【待更新】"
"""Starts a narrative block copied from last year's report: the writer must update it, then delete the mark."""

FILL_MARK = "【待填写】"
"""Stands where a figure or a required block was still empty when the draft was forced."""

PENDING_COMMENT = "待填写"
"""A YAML comment containing this word on the line of a null value marks the value as still to be filled in."""
