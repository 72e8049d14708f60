from datetime import date

import pytest

from conftest import analyze_text
from nvo_nlp.events import assemble_events
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.nlp.pipeline import COMPONENTS


def events_of(text, lang, published=None):
    doc = analyze_text(text, lang, published)
    return assemble_events("a1", lang, text, mentions_in(doc, *COMPONENTS))


def test_assemble_sample_event(lt_sample_text):
    [event] = events_of(lt_sample_text, "lt")
    assert (event.title, event.event_type) == ("Patirties mainų diena", "meeting")
    assert (event.places, event.place_ids) == (("Klaipėdos rajonas",), ("LT-21",))
    assert (event.participant_count, event.participant_noun, event.participant_origin_id) == (22, "svečias", "LV")
    assert event.officials == ("Violeta Riaukienė", "Jānis Džeriņš")
    assert lt_sample_text[event.evidence_start : event.evidence_end] == event.evidence_text
    assert event.evidence_text.startswith("Rugsėjo pabaigoje")


@pytest.mark.parametrize(
    ("lang", "text", "event_type", "title", "place_id", "count"),
    [
        (
            "lt",
            "Vakar Tauragėje vyko festivalis „Jūros šventė“, kuriame dalyvavo 300 žmonių.",
            "festival",
            "Jūros šventė",
            "LT-50:taurage",
            300,
        ),
        ("lv", "Liepājā notika tikšanās, kurā piedalījās 30 dalībnieku.", "meeting", "tikšanās", "LV-LPX", 30),
        ("en", "A conference was held in Riga with about 80 participants.", "conference", "conference", "LV-RIX", 80),
    ],
)
def test_assemble_event_per_language(lang, text, event_type, title, place_id, count):
    [event] = events_of(text, lang, date(2025, 5, 2))
    assert (event.event_type, event.title, event.participant_count) == (event_type, title, count)
    assert place_id in event.place_ids


def test_assemble_no_activity_no_event():
    assert events_of("Klaipėdos rajono savivaldybė paskelbė biudžetą.", "lt") == []


def test_assemble_background_year_is_not_the_event_date():
    text = "Ceturtdien Priekulē notiks sanāksme.\n\nLiegums pastāv jau no 1977. gada."
    [event] = events_of(text, "lv")
    assert event.date_iso is None


def test_assemble_fields_carry_method_and_confidence(lt_sample_text):
    [event] = events_of(lt_sample_text, "lt")
    # Date, place and headcount come from the event's own sentences; officials from later in the article.
    assert (event.date_method, event.places_method, event.participants_method) == (
        "rules:evidence",
        "gazetteer:evidence",
        "rules:evidence",
    )
    assert event.officials_method.endswith(":article")
    assert event.officials_confidence < event.participants_confidence <= 1.0
    assert event.project_method is not None and event.project_confidence is not None


def test_assemble_field_without_value_has_no_provenance():
    [event] = events_of("Liepājā notika tikšanās.", "lv")
    assert (event.participants_method, event.participants_confidence) == (None, None)
    assert event.places_method == "gazetteer:evidence"


def test_assemble_one_official_per_person_and_role():
    text = (
        "Susitikime kalbėjo meras Jonas Petraitis. "
        "Tarybos pirmininkas Jonas Petraitis pasveikino 20 svečių iš Latvijos."
    )
    [event] = events_of(text, "lt", date(2025, 5, 2))
    assert sorted(zip(event.officials, event.official_roles, strict=True)) == [
        ("Jonas Petraitis", "council_chair"),
        ("Jonas Petraitis", "mayor"),
    ]
