"""analyze() on arbitrary Unicode: never an unhandled exception, every offset inside the text."""

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nvo_nlp.ingest.articles import Article, article_id_for
from nvo_nlp.process import analyze

SENTENCES = {
    "lt": [
        "Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė pasveikino 22 svečius iš Latvijos.",
        "Renginys vyko gegužės 5 d. Dauparų bendruomenės namuose, – sakė G. Viliūnas.",
        "„Bendradarbiavimas tęsis“, – teigė asociacijos „Kelias“ pirmininkė.",
    ],
    "lv": [
        "Liepājas vicemērs Jānis Džeriņš tikās ar biedrības „Ceļš“ pārstāvjiem Liepājā.",
        "Pasākumā 2024. gada 12. maijā piedalījās ap 40 dalībnieku no Klaipēdas rajona.",
        "„Sadarbība turpināsies,“ pastāstīja Ēdoles pagasta pārvaldes vadītāja.",
    ],
    "en": [
        "Deputy mayor Violeta Riaukienė welcomed 22 guests from Latvia to Klaipėda district.",
        'The project "Green Coast" of the Interreg programme ran until 5 May 2024, said John Smith.',
        "Around 40 volunteers of the NGO Baltic Coast joined the clean-up in Liepāja.",
    ],
}
#: Characters that break naive text handling: controls, NUL, bidi marks, zero-width, quotes, dashes.
AWKWARD = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u00a0\u200b\u200e\u200f\u202a\u202e\u2028\u2029\ufeff\ufffd„“”\"«»'‘’–—-.,;:!?()[]\n\t\r 0123456789"
text_pieces = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(alphabet=AWKWARD, max_size=40),
    st.sampled_from(["\n\n", "„", "“", '"', "(", " – ", "Riaukienė", "LIEPĀJAS", "22", "5 d.", "2024-05-12"]),
)


def _check(text: str) -> None:
    analysis = analyze(Article(article_id=article_id_for(url=None, text=text), text=text, origin="fuzz"))
    for mention in analysis.mentions:
        assert 0 <= mention.start <= mention.end <= len(text), mention
        assert text[mention.start : mention.end] == mention.text, mention
        assert 0 <= mention.sentence_start <= mention.start and mention.end <= mention.sentence_end <= len(text)
    for event in analysis.events:
        assert 0 <= event.evidence_start <= event.evidence_end <= len(text), event
        assert text[event.evidence_start : event.evidence_end] == event.evidence_text
    for span in analysis.language_spans:
        assert 0 <= span.start < span.end <= len(text), span


@pytest.mark.parametrize("lang", SENTENCES)
def test_process_analyze_arbitrary_unicode_keeps_offsets_inside_the_text(lang):
    pieces = st.one_of(text_pieces, st.sampled_from(SENTENCES[lang]))

    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(pieces, max_size=12).map("".join))
    @example("„0\r0\n»AÛA")  # a quotation ending in a line break
    def check(text):
        _check(text)

    check()


@pytest.mark.parametrize("lang", SENTENCES)
@pytest.mark.parametrize("filler", ['"', "1 ", "\u202eąčęėįšųūž"])
def test_process_analyze_a_100k_character_line(lang, filler):
    sentence = SENTENCES[lang][0]
    _check(f"{sentence} {filler * (100_000 // len(filler))} {sentence}")


@pytest.mark.parametrize(
    "unit",
    [
        "biedrība „Ceļš“ ",
        "2024 m. sausio 15 d. ",
        "vicemerė Violeta Riaukienė, ",
        "22 svečiai iš Latvijos. ",
        "“Kā ir?” ",
    ],
)
def test_process_analyze_mention_dense_text_in_linear_time(unit):
    """Every mention checked against every earlier one made a page of names quadratic (50k characters
    of "biedrība „Ceļš“": 35 s). 10x the text may cost at most 30x the time (quadratic: 100x)."""

    def seconds(length):
        text = unit * (length // len(unit))
        started = time.perf_counter()
        _check(text)
        return time.perf_counter() - started

    seconds(3_000)  # loads the language's models
    # The fastest of three: a one-time cost (a garbage collection, the tokenizer replacing its affix
    # searches once it has seen enough words) is no growth, and a 3k text takes only a few milliseconds.
    short, long = (min(seconds(length) for _ in range(3)) for length in (3_000, 30_000))
    assert long / short < 30, f"3k: {short:.3f} s, 30k: {long:.3f} s"
