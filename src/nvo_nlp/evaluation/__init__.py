"""Score the pipeline against hand-annotated gold articles (``nvo-nlp evaluate``)."""

from nvo_nlp.evaluation.gold import FIELDS, GoldArticle, GoldItem, load_gold
from nvo_nlp.evaluation.score import EvaluationReport, FieldScore, ItemResult, score_article, score_articles

__all__ = [
    "FIELDS",
    "EvaluationReport",
    "FieldScore",
    "GoldArticle",
    "GoldItem",
    "ItemResult",
    "load_gold",
    "score_article",
    "score_articles",
]
