"""Prefect flows of nvo-nlp (installed as ``nvo_nlp.flows``)."""
