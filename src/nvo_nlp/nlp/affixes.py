"""spaCy's affix searches, skipped on words that cannot hold a match: the same answers, sooner.

spaCy's tokenizer asks its prefix, suffix and infix expressions about every word a text brings for
the first time, and again after each piece it splits off. Each expression is hundreds of alternatives
tried at every position of the word (a suffix search: 5–6 µs per word), and nearly every word is
plain letters that none of them matches. What an alternative can match is read from its syntax tree
(``re._parser``, the parser ``re.compile`` itself uses):

- a prefix alternative starts at the word's start, so the word's first character must be one that
  some alternative can start with;
- an infix match starts somewhere in the word, so the word must hold such a character;
- a suffix alternative ends at the word's end, so the word's last character must be one that some
  alternative can end with, and the word must hold a character that alternative needs anywhere (the
  digit before "km", the apostrophe of "'s").

Lookarounds consume no characters; a lookbehind's characters are still needed in the word. Only when
a word fails these checks is the answer given without the expression: None, or no infix. Where an
expression holds anything this reading does not cover, it is left as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from re import Match, Pattern
from typing import Any

try:  # the parser behind re.compile: private, so its absence only leaves the searches as they are
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python versions without the module
    sre = sre_parse = None

#: A character set larger than this counts as "any character": the checks would save nothing.
_MAX_SET = 2**14
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
#: Flags under which a literal matches other characters, or "^" and "$" other places.
_CHANGING_FLAGS = re.IGNORECASE | re.MULTILINE

Chars = frozenset[str] | None  # None: any character


def skip_hopeless_affix_searches(tokenizer: Any) -> None:
    """Replace ``tokenizer``'s prefix, suffix and infix searches (a spaCy ``Tokenizer``'s) by ones that
    answer without the expression for words it cannot match, wherever the expression allows it."""
    for attribute, kind in (
        ("prefix_search", _QuickPrefix),
        ("suffix_search", _QuickSuffix),
        ("infix_finditer", _QuickInfix),
    ):
        pattern = getattr(getattr(tokenizer, attribute, None), "__self__", None)
        if isinstance(pattern, Pattern) and (quick := _quick(kind, pattern)) is not None:
            setattr(tokenizer, attribute, getattr(quick, kind.method))


@functools.cache  # the languages' tokenizers mostly share spaCy's expressions: each is read once
def _quick(kind: type, pattern: Pattern) -> Any:
    alternatives = _alternatives(pattern) if sre_parse is not None else None
    if alternatives is None:
        return None
    try:
        return kind(pattern, alternatives)
    except _Unreadable:
        return None


class _Unreadable(Exception):
    """The expression holds what the checks cannot read: its search stays as it is."""


class _QuickPrefix:
    # Bound methods of these replace spaCy's: ``pattern`` is what spaCy's serialization reads from them.
    method = "search"

    def __init__(self, pattern: Pattern, alternatives: list[list]) -> None:
        if not all(alternative[:1] == [(sre.AT, sre.AT_BEGINNING)] for alternative in alternatives):
            raise _Unreadable
        self.pattern, self._search = pattern.pattern, pattern.search
        self._first = _required(_union(_edge(alternative, last=False) for alternative in alternatives))

    def search(self, text: str) -> Match | None:
        return self._search(text) if text and text[0] in self._first else None


class _QuickInfix:
    method = "finditer"

    def __init__(self, pattern: Pattern, alternatives: list[list]) -> None:
        self.pattern, self._finditer = pattern.pattern, pattern.finditer
        self._first = _required(_union(_edge(alternative, last=False) for alternative in alternatives))

    def finditer(self, text: str) -> Iterator[Match]:
        return self._finditer(text) if not self._first.isdisjoint(text) else iter(())


class _QuickSuffix:
    method = "search"

    def __init__(self, pattern: Pattern, alternatives: list[list]) -> None:
        if not all(alternative[-1:] == [(sre.AT, sre.AT_END)] for alternative in alternatives):
            raise _Unreadable
        self.pattern, self._search = pattern.pattern, pattern.search
        # For each last character: the characters of which a word ending with it must hold one (None: no
        # such set), the union over the alternatives that can end with it; each union is made once.
        needed = [_needed(alternative) for alternative in alternatives]
        owners: dict[str, list[int]] = {}
        for index, alternative in enumerate(alternatives):
            for char in _required(_edge(alternative, last=True)):
                owners.setdefault(char, []).append(index)
        unions: dict[tuple[int, ...], Chars] = {}
        for indices in map(tuple, owners.values()):
            if indices not in unions:
                unions[indices] = _union(needed[index] for index in indices)
        self._needed_by_last = {char: unions[tuple(indices)] for char, indices in owners.items()}

    def search(self, text: str) -> Match | None:
        if not text or text[-1] == "\n":  # "$" also matches before a final line break
            return self._search(text)
        if text[-1] not in self._needed_by_last:
            return None
        needed = self._needed_by_last[text[-1]]
        return None if needed is not None and needed.isdisjoint(text) else self._search(text)


def _required(chars: Chars) -> frozenset[str]:
    if chars is None:
        raise _Unreadable
    return chars


def _alternatives(pattern: Pattern) -> list[list] | None:
    """The top-level alternatives of ``pattern``, each a list of syntax-tree nodes; None if unreadable."""
    if pattern.flags & _CHANGING_FLAGS:
        return None
    try:
        tree = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 — a parser of another Python version: leave the search as it is
        return None
    if len(tree) == 1 and tree[0][0] == sre.BRANCH:
        return [list(branch) for branch in tree[0][1][1]]
    return [tree]


def _union(sets: Any) -> Chars:
    found: set[str] = set()
    for chars in sets:
        if chars is None:
            return None
        found |= chars
    return frozenset(found) if len(found) <= _MAX_SET else None


def _edge(nodes: list, *, last: bool) -> Chars:
    """The characters a match of ``nodes`` can start (``last``: end) with; None for any, or when it
    can match nothing at all."""
    chars, may_be_empty = _leading(nodes, last=last, lookarounds=False)
    return None if may_be_empty else chars


def _needed(nodes: list) -> Chars:
    """Characters of which a word must hold one for ``nodes`` to match in it: those a match starts with,
    or a lookaround before it needs; None when there is no such set."""
    chars, may_be_empty = _leading(nodes, last=False, lookarounds=True)
    return None if may_be_empty else chars


def _leading(nodes: Any, *, last: bool, lookarounds: bool) -> tuple[Chars, bool]:
    """(the characters the first of ``nodes`` to consume one (``last``: the last) can consume, whether
    they can all match nothing); with ``lookarounds``, what a lookaround needs counts as consumed."""
    found: set[str] = set()
    for op, value in reversed(list(nodes)) if last else nodes:
        if op == sre.ASSERT and lookarounds:
            chars, may_be_empty = _leading(value[1], last=last, lookarounds=True)
        elif op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # consumes nothing
        else:
            chars, may_be_empty = _node(op, value, lambda inner: _leading(inner, last=last, lookarounds=lookarounds))
        if chars is None:
            return None, True
        found |= chars
        if not may_be_empty:
            return frozenset(found), False
    return frozenset(found), True


def _node(op: Any, value: Any, inner: Callable[[Any], tuple[Chars, bool]]) -> tuple[Chars, bool]:
    """(characters, may be empty) of one consuming node; ``inner`` reads the nodes it holds."""
    if op == sre.LITERAL:
        return frozenset(chr(value)), False
    if op == sre.IN:
        return _class(value), False
    if str(op) in _REPEATS:
        chars, may_be_empty = inner(value[2])
        return chars, may_be_empty or value[0] == 0
    if op == sre.SUBPATTERN:
        group, add_flags, del_flags, nodes = value
        return (None, True) if add_flags & _CHANGING_FLAGS else inner(nodes)
    if op == sre.BRANCH:
        results = [inner(branch) for branch in value[1]]
        return _union(chars for chars, _ in results), any(empty for _, empty in results)
    return None, True  # ANY, categories, groups referred back to...: anything


def _class(items: list) -> Chars:
    return _class_of(tuple(items))


@functools.cache  # an expression repeats its classes (spaCy's symbols: thousands of characters)
def _class_of(items: tuple) -> Chars:
    found: set[str] = set()
    for op, value in items:
        if op == sre.LITERAL:
            found.add(chr(value))
        elif op == sre.RANGE:
            if value[1] - value[0] >= _MAX_SET:
                return None
            found.update(map(chr, range(value[0], value[1] + 1)))
        else:  # NEGATE, CATEGORY (\d, \w...)
            return None
    return frozenset(found) if len(found) <= _MAX_SET else None
