"""NLP stage: spaCy pipelines per language (:mod:`nvo_nlp.nlp.pipeline`), nvo components registered by name
(:mod:`nvo_nlp.nlp.components`), sentence rules, morphology and lemmas. Import the submodules directly:
this package stays empty so the extractors can use its leaf modules without import cycles."""
