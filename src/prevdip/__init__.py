"""prevdip: the workbench of a regional centre for preventive diplomacy.

Early warning from real event data, forecasts with honest backtests, dispute analysis for mediators (GMCR),
the water-energy basin model with benefit-sharing deals, and the centre's response — one package, one CLI.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("prevdip")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+local"

__all__ = ["__version__"]
