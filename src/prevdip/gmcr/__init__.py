"""Dispute analysis for mediators: the Graph Model for Conflict Resolution (GMCR).

Stands alone (numpy, scipy, networkx, pydantic, :mod:`prevdip.errors`, and :mod:`prevdip.catalogue` for the one
workspace folder it keeps, the uploaded models), so a mediator can use it without the data pipeline. Public API
(stable names, used by the CLI and the web page):

* :func:`load_model` (path or dict: graph form, option form, GMCR+ ``.gmcr``) → :class:`GraphModel`
* :func:`analyze` (model) → :class:`AnalysisReport` with ``.as_dict()`` (the ``prevdip gmcr analyze`` JSON)
* :func:`status_quo` (model, start label) → dict (the ``prevdip gmcr status-quo`` JSON)
* :func:`list_cases`, :func:`load_case`, :func:`resolve_model` for the shipped example models
* :func:`inverse` (model, target, concept) → :class:`InverseAnswer`; :func:`inverse_report` (answer, file dict) → the
  ``prevdip gmcr inverse`` JSON, with the adjusted model in the file's own format
* :func:`analyse_stability`, :func:`matrix_stability`, :func:`limited_move_stability`, :func:`coalition_improvements`,
  :func:`coalition_stability`, :func:`explain`, :func:`robustness` for finer use.
* :func:`keep_upload`, :func:`read_upload` for models uploaded on the dashboard, and :func:`upload_reference`,
  :func:`uploaded_id` for the ``upload:<model id>`` form a dispute links one by.
"""

from prevdip.gmcr.casebook import case_path, list_cases, load_case, resolve_document, resolve_model
from prevdip.gmcr.coalition_stability import CoalitionStability, coalition_stability
from prevdip.gmcr.coalitions import all_coalition_improvements, coalition_improvements
from prevdip.gmcr.explain import explain, explain_all
from prevdip.gmcr.inverse import InverseAnswer, inverse
from prevdip.gmcr.inverse_report import inverse_report
from prevdip.gmcr.limited_move import limited_move_stability
from prevdip.gmcr.loading import load_model
from prevdip.gmcr.matrix import matrix_stability
from prevdip.gmcr.model import GraphModel, Moves, OptionInfo
from prevdip.gmcr.report import AnalysisReport, analyze
from prevdip.gmcr.robustness import robustness
from prevdip.gmcr.stability import CONCEPTS, Stability, analyse_stability
from prevdip.gmcr.status_quo import status_quo
from prevdip.gmcr.uploads import keep_upload, read_upload, upload_reference, uploaded_id

__all__ = [
    "CONCEPTS",
    "AnalysisReport",
    "CoalitionStability",
    "InverseAnswer",
    "GraphModel",
    "Moves",
    "OptionInfo",
    "Stability",
    "all_coalition_improvements",
    "analyse_stability",
    "analyze",
    "case_path",
    "coalition_improvements",
    "coalition_stability",
    "explain",
    "explain_all",
    "inverse",
    "inverse_report",
    "keep_upload",
    "limited_move_stability",
    "list_cases",
    "load_case",
    "load_model",
    "matrix_stability",
    "read_upload",
    "resolve_document",
    "resolve_model",
    "robustness",
    "status_quo",
    "upload_reference",
    "uploaded_id",
]
