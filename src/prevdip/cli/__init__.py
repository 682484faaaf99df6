"""The ``prevdip`` command line: thin modules that parse, call a domain service and print (rich or ``--json``)."""
