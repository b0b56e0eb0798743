"""The structural particles 的 and 地 (L202): an adverbial takes 地 before the verb it modifies.

Told by the words' parts of speech in jieba's dictionary, not by a list: an adjective or adverb, then 的, then
a preposition (及时准确的向社会公布, 主动的向社会公开) or, after a degree adverb, a verb (为更好的满足, 更加便捷的
享受到, 不断的提高).  An adjective before 的 and a verb without a degree adverb is left alone: the verb may be
a noun there (积极的作用).
"""

from __future__ import annotations

from ..report.model import Report
from ..segmenter import lexicon
from .engine import ANY_FORMAT, Rule, rule
from .typos import clauses, judge_for

MODIFIERS = frozenset(("a", "ad", "d", "b"))  # adjectives, adverbs, distinguishing words (主动)
DEGREE = "d"  # an adverb of degree or manner: 更好, 更加, 不断
PREPOSITION = "p"
VERB = "v"


@rule("L202", "adverbial-de", "warning", "实务", "状语与动词之间应用“地”（如“更好的满足”→“更好地满足”）",
      fixable="unsafe",
      examples={"fire": ["为更好的满足社会各界需求，我们优化了栏目。", "及时准确的向社会公布政府信息。",
                         "群众可以更加便捷的享受到政府服务。"],
                "silent": ["为更好地满足社会各界需求，我们优化了栏目。", "发挥了积极的作用。",
                           "市政府出台的与我局职能相关的文件已全部公开。", "有关的规定已公开。"]}, formats=ANY_FORMAT)
def adverbial_de(report: Report, item: Rule):
    """检查什么：修饰动词的状语后误用“的”，如“更好的满足”“及时准确的向社会公布”“不断的提高”。

    为什么：状语后用“地”，定语后用“的”（《现代汉语词典》“地”字条；出版物编校质量检查把“的、地、得”
    误用计为差错）。只在形容词、副词之后紧跟介词，或程度副词修饰的形容词、副词之后紧跟动词时报告，
    “积极的作用”这类动词可作名词的搭配不报。

    错误示例：为更好的满足社会各界需求。
    正确示例：为更好地满足社会各界需求。
    """
    if lexicon() is None:
        return  # no dictionary without a writable cache folder (the typo rules say so)
    judge = judge_for()
    for start, clause in clauses(report):
        if "的" not in clause:
            continue
        tokens = judge.route(clause)[1]
        at = 0
        for index, token in enumerate(tokens):
            if token == "的" and 0 < index < len(tokens) - 1 and _adverbial(judge, tokens, index):
                before, after = tokens[index - 1], tokens[index + 1]
                yield item.finding(start + at, start + at + 1,
                                   f"“{before}的{after}”中“的”应为“地”：“{before}”在这里作状语",
                                   fix="地", fix_safe=False)
            at += len(token)


def _adverbial(judge, tokens: list[str], index: int) -> bool:
    """Whether the word before tokens[index] (a 的) modifies the verb or preposition after it."""
    before, after = judge.tag(tokens[index - 1]), judge.tag(tokens[index + 1])
    if before not in MODIFIERS:
        return False
    if after == PREPOSITION:
        return True
    degree = before == DEGREE or (index >= 2 and judge.tag(tokens[index - 2]) == DEGREE)
    return after == VERB and degree
