"""Words cut short (L104): a character left out while editing (受理渠。 for 受理渠道。, 政府信公开).

A character that does not stand alone, left as a one-character token by jieba's segmentation, becomes with one
character inserted beside it a word the report itself uses elsewhere; the clause must read clearly better with it.
"""

from __future__ import annotations

from ..report.model import Report
from ..segmenter import lexicon
from .engine import ANY_FORMAT, Rule
from .loader import kind
from .typos import (
    OMISSION_GAIN,
    PLACE_END,
    Context,
    Judge,
    _examples,
    _offsets,
    _protected,
    clauses,
    judge_for,
)


def omissions(judge: Judge, clause: str, context: Context, protected: frozenset[int] = frozenset(),
              ends_clause: bool = True, sentence: str = "") -> list[tuple[int, int, str, str]]:
    """(start, end, wrong, right) where a character seems left out: a one-character token that does not
    stand alone (政府信|公开, 受理渠。) becomes, with one character inserted beside it, a word the report
    itself uses elsewhere (信息, 渠道), next to the same neighbour as here, and the clause reads clearly better
    with it (or, at the clause's end before punctuation, ``ends_clause``, no worse).  A character that ends
    several items of the ``sentence`` (政治关、法律关) is a suffix, not a word cut short."""
    judge.prefetch(clause)
    score, tokens = judge.route(clause)
    weak = [judge.weak(token) for token in tokens]
    found = []
    for index, (at, token) in enumerate(_offsets(tokens)):
        if not weak[index] or at in protected or sentence.count(token + "、") + sentence.count(token + "，") > 1:
            continue
        if (index and weak[index - 1]) or (index + 1 < len(tokens) and weak[index + 1]):
            continue  # two such characters together: an abbreviation (卫|健|委, 住|建|局) or a name
        if index + 1 < len(tokens) and tokens[index + 1] in PLACE_END and index and len(tokens[index - 1]) == 1:
            continue  # lone characters before a place's unit: the place's short name (经|开|区)
        best = None
        for insert in (at, at + 1):
            keys, where = [], {}
            for length in range(2, 5):
                for start in range(max(0, insert - length + 1), insert + 1):
                    end = start + length - 1  # in the clause: the word less the inserted character
                    if end > len(clause) or not (start <= at < end):
                        continue
                    key = clause[start:insert] + "?" + clause[insert:end]
                    keys.append(key)
                    where[key] = start
            for key, word, _ in judge.words_like(keys):
                start = where[key]
                inserted = word[insert - start]
                if inserted in clause[insert - 1:insert + 1]:
                    continue  # that would double a character (全县|县政府)
                left, right = clause[start - 1:start], clause[start + len(word) - 1:start + len(word)]
                seen = context.count(word)
                if seen < 2:
                    continue
                new = clause[:insert] + inserted + clause[insert:]
                judge.prefetch(new, insert)
                gain = judge.route(new)[0] - score
                end = start + len(word) - 1
                at_end = end == len(clause) and ends_clause
                phrase = clause[max(0, start - 2):start] + word + clause[end:end + 2]
                if len(phrase) >= len(word) + 2 and context.count(phrase):
                    pass  # the report writes the whole phrase so elsewhere (政府信息公开)
                elif gain < (0 if at_end else OMISSION_GAIN):
                    continue  # within a clause, only a clear gain; at its end before punctuation, none lost (渠。)
                elif not (left and context.count(left + word) or right and context.count(word + right)):
                    continue  # the report's own wording around the word
                if gain < 0:
                    continue
                if best is None or seen > best[0]:
                    best = (seen, start, start + len(word) - 1, word)
        if best:
            _, start, end, word = best
            found.append((start, end, clause[start:end], word))
    return found


@kind("omission")
def compile_omission(spec: dict, where: str) -> Rule:
    def check(report: Report):
        if lexicon() is None:
            return
        judge = judge_for()
        context = Context(report.text, (report.title or "") + " " + (report.agency or ""))
        for start, clause in clauses(report):
            protected = _protected(report.text, start, start + len(clause))
            end = start + len(clause)
            ends = end < len(report.text) and report.text[end] in "，。；、：！？,.;:!?"
            sentence = report.text[start - 40 if start > 40 else 0:end + 40]
            for first, last, wrong, right in omissions(judge, clause, context, protected, ends, sentence):
                yield item.finding(start + first, start + last, f"“{wrong}”疑似漏字，应为“{right}”",
                                   fix=right, fix_safe=False, evidence={"found": wrong, "right": right})

    item = Rule(spec["code"], spec["name"], spec["severity"], spec["tier"], spec["summary"],
                spec.get("doc", "").strip(), check, origin=where, fixable="unsafe", formats=ANY_FORMAT,
                examples=_examples(spec))
    return item
