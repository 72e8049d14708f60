"""The mention value: its one-write ``__init__`` behaves as the one dataclasses generates."""

import dataclasses
import inspect
import pickle
from datetime import date

import pytest

from nvo_nlp.extract.mention import Mention, _fields_set_in_one_write

# The same fields with the __init__ dataclasses generates.
GENERATED = dataclasses.make_dataclass(
    "GeneratedMention",
    [(field.name, field.type, field) for field in dataclasses.fields(Mention)],
    frozen=True,
)

EXAMPLES = {
    "lt": (("PERSON", "Violetos Riaukienės", "Violeta Riaukienė", 10, 29, 0, 80, "rules"), {"role": "vicemerė"}),
    "lv": (("PLACE", "Liepājā", "Liepāja", 3, 10, 0, 40, "gazetteer"), {"entity_id": "LV-112"}),
    "en": (("DATE", "last September", "2025-09", 5, 19, 0, 60, "rules"), {"date_start": date(2025, 9, 1)}),
}


def _values(instance) -> tuple:
    return tuple(getattr(instance, field.name) for field in dataclasses.fields(Mention))


def test_mention_init_has_the_generated_signature():
    assert inspect.signature(Mention.__init__) == inspect.signature(GENERATED.__init__)


@pytest.mark.parametrize("lang", EXAMPLES)
def test_mention_init_sets_every_field_as_the_generated_one(lang):
    positional, keywords = EXAMPLES[lang]
    mention = Mention(*positional, **keywords)
    assert _values(mention) == _values(GENERATED(*positional, **keywords))
    by_keyword = Mention(
        **dict(zip([f.name for f in dataclasses.fields(Mention)], positional, strict=False)), **keywords
    )
    assert by_keyword == mention and hash(by_keyword) == hash(mention)
    assert pickle.loads(pickle.dumps(mention)) == mention
    assert dataclasses.replace(mention, confidence=0.5) == Mention(*positional, **keywords, confidence=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.start = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        Mention(*positional[:3])
    with pytest.raises(TypeError):
        Mention(*positional, unknown=1)


def test_mention_one_write_init_refuses_default_factories():
    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        items: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="default factory"):
        _fields_set_in_one_write(WithFactory)
