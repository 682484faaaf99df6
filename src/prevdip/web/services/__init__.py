"""One service function per page: it gathers the page's data (JSON-ready) from the domains' public APIs through
:mod:`prevdip.briefs.readings`; the HTML page and its JSON twin both come from its answer."""
