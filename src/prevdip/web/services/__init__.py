"""One service function per page: it gathers the page's data from the situation read model and the domains'
public names, as the typed model of :mod:`prevdip.web._schemas`; the HTML page and its JSON twin both come from
its answer."""
