"""The centre's dashboard and JSON API: every page has a JSON twin served from the same service call.

Ask any page with ``Accept: application/json``, or add ``.json`` to its path, for the data behind it.
"""

from prevdip.web._app import create_app

__all__ = ["create_app"]
