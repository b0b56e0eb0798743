"""gidraft serve: the editor's workbench (a local web app).  See :mod:`.app`."""
