"""The dossier checker: ``vanban check``.

    folder/.zip ──dossier──▶ Dossier ──rules──▶ [Finding] ──policy──▶ Decision ──report──▶ text | json | …
"""

from .engine import CheckSettings, Checker, check_many, discover
from .model import CheckOptions, Decision, Dossier, DossierResult, Finding
from .policy import Profile, load_profile
from .rules.format import check_format

__all__ = ["CheckOptions", "CheckSettings", "Checker", "Decision", "Dossier", "DossierResult", "Finding",
           "Profile", "check_format", "check_many", "discover", "load_profile"]
