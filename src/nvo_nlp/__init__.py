"""nvo-nlp: structured records of what municipalities, NGOs and communities do together, from Baltic regional news."""

from nvo_nlp.api import analysis_as_dict, evaluate, extract, info, run, serve, timeline
from nvo_nlp.errors import NvoError
from nvo_nlp.process import ArticleAnalysis, analyze
from nvo_nlp.runs import RunSummary
from nvo_nlp.store.dataset import connect, load

__version__ = "0.1.0"

__all__ = [
    "ArticleAnalysis",
    "NvoError",
    "RunSummary",
    "__version__",
    "analysis_as_dict",
    "analyze",
    "connect",
    "evaluate",
    "extract",
    "info",
    "load",
    "run",
    "serve",
    "timeline",
]
