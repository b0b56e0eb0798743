"""Quantity phrases of the narrative read by their structure rather than one pattern per wording.

A report states a table fact as a clause: a subject (申请, 行政复议, 规范性文件 …), a verb (收到, 办结, 制发 …),
a qualifier that picks the row or column (予以公开, 自然人, 维持 …) and a count with its unit, in any order and
with words in between (``共受理政府信息公开申请408件``, ``办结391件``, ``其中自然人6件``, ``另有103件顺延到下年度``,
``发生2起关于政府信息公开的行政诉讼案件``).  The words are data (``grammar:`` of rule N101 in
``rules/narrative.yaml``), sorted into roles; :class:`Grammar` reads every figure of the prose with them:

- the figure's clause is cut at ，、：（） and at the previous figure; the role words before the figure decide,
  or, when there are none, the words after it (``34件为上年度结转``);
- the subject is the nearest one in the clause, else the last subject earlier in the sentence (for a verb or a
  qualifier without one: ``…申请408件，办结391件``); a word of ``foreign`` (建议, 提案, 网站, 通过 …) met first
  leaves the figure unbound, and after 其中 a verb of receiving names a part (a channel), not the total;
- two subjects, two outcomes or two verbs that disagree, or a subject without the verb or qualifier its key
  needs (``规章0件`` under 主动公开: 制发 or 现行有效?), leave the figure unbound: precision first.

Statements of none (``未收到政府信息公开申请``, ``无行政复议、行政诉讼事项``) are read the same way: a negation,
then only the words of ``none_filler`` up to the subjects.  Both give :class:`~gidraft.rules.narrative.Match`
objects, compared with the tables by the same code as the fact entries.
"""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..cache import compiled
from .engine import RuleError
from .prefilter import MultiPattern

T4 = {"review": ["review"], "litigation": ["litigation_direct", "litigation_after_review"],
      "litigation_direct": ["litigation_direct"], "litigation_after_review": ["litigation_after_review"]}
DECISIONS = ("licensing", "penalty", "coercion")
DOCUMENTS = ("regulations", "normative_documents")
CLAUSE_BREAK = "，,、：:（）()"
NONE_BREAK = "，,：:\n"
SENTENCE_BREAK = "。；！？!?;\n"


@dataclass(frozen=True)
class Word:
    """A grammar word found in the prose, with its role."""

    role: str  # subject | act | outcome | applicant | result | document | decision | narrow | negation | foreign
    name: str
    start: int  # offsets in the prose text
    end: int


@dataclass(frozen=True)
class Reading:
    """What a figure (or a statement of none) says: its fact name, key templates and other accepted readings."""

    name: str
    keys: tuple[str, ...]
    start: int  # the statement in the prose
    end: int
    figure: int | None  # index in Prose.quantities; None for a statement of none
    readings: tuple[tuple[tuple[str, ...], str], ...] = ()


RECEIVED_NOTE = "所述数字包含上年结转的申请，与表三“本年新收”“上年结转”之和一致；表格口径的本年新收为另一数字"


class Grammar:
    def __init__(self, spec: dict, where: str) -> None:
        def entries(mapping) -> dict:
            return {k: v for k, v in (mapping or {}).items() if k != "__line__"}

        try:
            self.units = tuple(spec["units"])
            groups: list[tuple[str, str, str]] = []  # (role, name, pattern) in the order they are tried
            self.rows = {name: list(v["rows"]) for name, v in entries(spec["outcomes"]).items()}
            self.columns = {name: list(v["columns"]) for name, v in entries(spec["applicants"]).items()}
            groups += [("result", n, p) for n, p in entries(spec["results"]).items()]
            groups += [("outcome", n, v["words"]) for n, v in entries(spec["outcomes"]).items()]
            groups += [("act", n, p) for n, p in entries(spec["acts"]).items()]
            groups += [("subject", n, p) for n, p in entries(spec["subjects"]).items() if n != "foreign"]
            groups += [("foreign", "foreign", spec["subjects"]["foreign"])]
            documents = len(groups)  # the verbs of 规章 and 规范性文件 depend on the format: one word list per format
            self.formats = {fmt: [(f"document{fmt}", n, p) for n, p in entries(acts).items()]
                            for fmt, acts in entries(spec["documents"]).items()}
            groups += [("decision", "decision", spec["decisions"]), ("narrow", "narrow", spec["narrow"]),
                       ("cumulative", "cumulative", spec["cumulative"])]
            groups += [("applicant", n, v["words"]) for n, v in entries(spec["applicants"]).items()]
            groups += [("negation", "negation", spec["negation"])]
            self.patterns = {}
            for fmt, verbs in self.formats.items():
                every = groups[:documents] + verbs + groups[documents:]
                # found as one alternation of the role words would find them (none matches the empty text), but at
                # each place only the roles whose words can start with its character are tried, in the same order
                self.patterns[fmt] = (MultiPattern([compiled(p) for _, _, p in every]), [(role, name) for role, name, _ in every])
            self.filler = compiled(spec["none_filler"])
            self.none_tail = compiled(spec["none_tail"])
            self.none_exclude = compiled(spec["none_exclude"])
            self.context = compiled(spec["context"])
            self.t2_gap = compiled(spec["t2_gap"])
        except (KeyError, TypeError, re.error) as exc:
            raise RuleError(f"{where}: grammar 定义有误：{exc}") from exc

    # --- words -----------------------------------------------------------------------------------

    def words(self, text: str, fmt: str) -> list[Word]:
        """The role words of the text, found as if hard-wrapped lines were joined (部\n分公开 is 部分公开)."""
        roles, names = self.patterns[fmt]
        cuts = [m.start() - i for i, m in enumerate(WRAP.finditer(text))] if "\n" in text else []
        if not cuts:
            return [Word(*names[index], m.start(), m.end()) for index, m in roles.finditer(text)]
        compact = WRAP.sub("", text)

        def original(pos: int) -> int:
            return pos + bisect_right(cuts, pos)

        return [Word(*names[index], original(m.start()), original(m.end() - 1) + 1) for index, m in roles.finditer(compact)]

    # --- figures ---------------------------------------------------------------------------------

    def figures(self, text: str, quantities, words: list[Word], fmt: str, context) -> list[Reading]:
        """A reading for each figure the words decide; ``context(pos)`` is the text a bare subject must name
        the disclosure in (sub-heading, previous sentence, sentence up to ``pos``)."""
        text = joined(text)
        scan = Scan(text, words, quantities)
        starts = scan.starts
        sentences, clauses, ends = Breaks(text, SENTENCE_BREAK), Breaks(text, CLAUSE_BREAK), Breaks(text, CLAUSE_BREAK + SENTENCE_BREAK)
        out = []
        for index, quantity in enumerate(quantities):
            if quantity.unit not in self.units:
                continue
            sentence = sentences.back(quantity.start)
            clause = max(clauses.back(quantity.start), sentence)
            if index and quantities[index - 1].end > clause:
                clause = quantities[index - 1].end
            after_end = ends.forward(quantity.end)
            if index + 1 < len(quantities):
                after_end = min(after_end, quantities[index + 1].start)
            before = _between(words, starts, clause, quantity.start)
            local = [w for w in before if w.role != "narrow"]
            following = _between(words, starts, quantity.end, after_end)
            after = not local
            if after:  # 另有103件顺延到下年度答复: the predicate after the figure, its first words decide
                lead = next((i for i, w in enumerate(following) if w.role != "subject"), len(following))
                local = following[:lead + 1]
            elif following and following[0].start == quantity.end and following[0].role == "subject" and not any(
                    w.role == "subject" for w in local):
                local = local + following[:1]  # 收到70件申请: the subject right after the figure
            reading = self._figure(scan, local, after, sentence, clause, quantity.start, fmt, context)
            if reading is not None:
                name, keys, readings = reading
                start = min([w.start for w in before] + [clause]) if not after else clause
                out.append(Reading(name, tuple(keys), start, max(quantity.end, local[-1].end if after and local else 0),
                                   index, readings))
        return out

    def _figure(self, scan: Scan, local: list[Word], after: bool, sentence: int, clause: int, at: int, fmt: str, context):
        text, words, starts = scan.text, scan.words, scan.starts
        if any(w.role in ("foreign", "negation") for w in local):
            return None
        subjects = [w for w in local if w.role == "subject"]
        if subjects:
            subject = subjects[0] if after else subjects[-1]
            if any(s.name != subject.name for s in subjects):
                others = {s.name for s in subjects if s.name != subject.name}
                if not (subject.name in T4 and others == {"requests"}):  # 因信息公开申请被申请行政复议3件: the review
                    return None
            if _compound(text, words, starts, subject):
                return None
            explicit = True
        else:
            subject = scan.inherited(sentence, clause)
            if subject is False or (subject is None and not any(w.role == "outcome" for w in local)):
                return None
            if subject is None:  # an outcome (予以公开, 不予处理 …) names requests itself, given the context
                subject = Word("subject", "requests", at, at)
            explicit = False
        if subject.name in DOCUMENTS + DECISIONS and not any(w.role.startswith(("document", "decision")) for w in local):
            local = local + scan.list_verbs(clause)  # 制发规章1件、规范性文件8件
        roles: dict[str, set[str]] = {}
        for w in local:
            if w.role.startswith(("document", "cumulative")) and subject.name not in DOCUMENTS:
                continue  # 主动公开, 累计 only qualify 规章 and 规范性文件
            roles.setdefault(w.role, set()).add(w.name)
        outcomes = [w for w in local if w.role == "outcome"]
        if len(roles.get("outcome", ())) > 1 and self._nested(outcomes):
            roles["outcome"] = {(outcomes[0] if after else outcomes[-1]).name}  # 因本机关不掌握等原因无法提供: the nearest
        if any(len(names) > 1 for role, names in roles.items() if role not in ("subject", "decision")):
            return None
        narrowed = scan.any("narrow", sentence, at)
        synthetic = subject.start == subject.end
        acted = scan.any("act", sentence, at)
        needs_context = subject.name in T4 or text[subject.start:subject.end] == "申请" or (synthetic and not acted)
        if needs_context and not self.context.search(context(subject.start if explicit else at)):
            return None
        one = {role: next(iter(names)) for role, names in roles.items() if role != "subject"}
        if subject.name in T4:
            return self._t4(subject.name, one, explicit)
        if subject.name == "requests":
            return self._t3(one, narrowed)
        if not after and not self._counts(text, words, starts, subject.end, at):
            return None  # 行政许可类信息69条: what is counted is something else
        return self._t2(subject.name, one, explicit, fmt)

    def _counts(self, text, words, starts, start, end) -> bool:
        """Whether text[start:end] (between a table-2 subject and its figure) adds nothing to what is counted."""
        return bool(self.t2_gap.fullmatch(_without(text, _between(words, starts, start, end), start, end)))

    def _nested(self, outcomes: list[Word]) -> bool:
        """Whether the outcomes are one row group and rows within it (无法提供 and 本机关不掌握)."""
        rows = [self.rows[w.name] for w in outcomes]
        if any(len(r) != 1 for r in rows):
            return False
        groups = {r[0] for r in rows if "*" in r[0]}
        return len(groups) == 1 and all(fnmatch.fnmatch(r[0], next(iter(groups))) for r in rows)

    def _t4(self, subject: str, one: dict, explicit: bool):
        if set(one) - {"result", "decision", "act"} or one.get("act", "received") != "received":
            return None
        column = one.get("result")
        if column is None and not explicit:
            return None
        column = column or "total"
        return f"{subject}.{column}", [f"t4.{group}.{column}" for group in T4[subject]], ()

    def _t3(self, one: dict, narrowed: bool):
        if set(one) - {"act", "outcome", "applicant"}:
            return None
        outcome, applicant, act = one.get("outcome"), one.get("applicant"), one.get("act")
        columns = self.columns[applicant] if applicant else ["total"]
        if outcome:
            if act and act not in ("concluded", "handled"):
                return None
            return f"{outcome}", [f"t3.{row}.{c}" for row in self.rows[outcome] for c in columns], ()
        if applicant:
            if act and act not in ("received", "handled"):
                return None
            keys = [f"t3.new_received.{c}" for c in columns]
            return f"applicants.{applicant}", keys, ((tuple(keys + [f"t3.carried_over.{c}" for c in columns]),
                                                      "所述数字包含上年结转的申请，与表三“本年新收”“上年结转”的相应列之和一致"),)
        if act is None or (narrowed and act in ("received", "handled", "concluded")):
            return None
        new, carried = "t3.new_received.total", "t3.carried_over.total"
        if act == "received":
            return "requests.received", [new], (((new, carried), RECEIVED_NOTE),)
        if act == "handled":
            return "requests.handled", [new], (((new, carried), ""), (("t3.processed_total.total",), ""))
        key = {"concluded": "processed_total", "carried_over": "carried_over", "carry_forward": "carry_forward"}[act]
        return f"requests.{act}", [f"t3.{key}.total"], ()

    def _t2(self, subject: str, one: dict, explicit: bool, fmt: str):
        if not explicit:
            return None
        if subject in DECISIONS:
            if set(one) - {"decision", "act"} or one.get("act", "handled") not in ("handled", "concluded"):
                return None
            return f"{subject}.decisions", [f"t2.{subject}.decisions"], ()
        if subject in DOCUMENTS:
            acts = {k for k in one if k.startswith("document")}
            if set(one) - acts - {"decision"} or acts != {f"document{fmt}"}:
                return None
            column = one[f"document{fmt}"]
            return f"{subject}.{column}", [f"t2.{subject}.{column}"], ()
        return None

    # --- statements of none ----------------------------------------------------------------------

    def nones(self, text: str, quantities, words: list[Word], fmt: str, context) -> list[Reading]:
        starts = [w.start for w in words]
        text = joined(text)
        figures = [q.start for q in quantities]
        ends = Breaks(text, NONE_BREAK + "。；！？!?;")
        out = []
        for number_, negation in enumerate(words):
            if negation.role != "negation":
                continue
            end = ends.forward(negation.end)
            i = bisect_left(figures, negation.end)
            if i < len(figures) and figures[i] < end:
                continue
            subjects, acts, gap_start = [], set(), negation.end
            for k in range(number_ + 1, len(words)):  # the subjects, each after filler words only
                w = words[k]
                if w.start >= end:
                    break
                if w.role == "act":
                    acts.add(w.name)
                    continue
                if w.role != "subject" or not self._filler(text, words, starts, gap_start, w.start):
                    break
                subjects.append(w)
                gap_start = w.end
            if not subjects or not self.none_tail.fullmatch(text, subjects[-1].end, end):
                continue  # 无行政许可经营行为: the subject qualifies something else
            if self.none_exclude.search(text, negation.start, end):
                continue
            names = {s.name for s in subjects}
            keys = self._none_keys(names, acts, fmt)
            if keys is None:
                continue
            if (names & set(T4) or "申请" in {text[s.start:s.end] for s in subjects}) and not self.context.search(
                    context(negation.start)):
                continue
            out.append(Reading(f"none.{'+'.join(sorted(names))}", tuple(keys), negation.start, subjects[-1].end, None))
        return out

    def _filler(self, text, words, starts, start, end) -> bool:
        """Whether text[start:end] holds only filler words and verbs of receiving."""
        acts = [w for w in _between(words, starts, start, end) if w.role == "act"]
        return bool(self.filler.fullmatch(_without(text, acts, start, end)))

    @staticmethod
    def _none_keys(names: set[str], acts: set[str], fmt: str) -> list[str] | None:
        t4 = names & set(T4)
        if t4:
            if t4 == {"review"}:
                return ["t4.review.*"]
            if "review" in t4:
                return ["t4.*"]
            return ["t4.litigation_*"] if "litigation" in t4 else [f"t4.{next(iter(t4))}.*"]
        if names == {"requests"}:
            if acts - {"received", "carried_over", "carry_forward"} or len(acts - {"received"}) > 1:
                return None
            act = next(iter(acts - {"received"}), "received")
            return [{"received": "t3.new_received.total", "carried_over": "t3.carried_over.total",
                     "carry_forward": "t3.carry_forward.total"}[act]]
        if names and names <= set(DECISIONS) and not acts:
            return [f"t2.{n}.decisions" for n in sorted(names)]
        if names == {"admin_fees"} and fmt == "2021" and not acts:
            return ["t2.fees.amount_wanyuan"]
        return None


WRAP = compiled(r"(?<=[^\n]{15}[^\n。；！？!?：:])\n(?![（(]?[一二三四五六七八九十]+[、）)]|[#|>\-*])")


def joined(text: str) -> str:
    """The text with the line breaks of a hard-wrapped paragraph (a long line that runs on into the next,
    not before a heading) made a joiner, so that they end no clause; offsets are kept."""
    return WRAP.sub("\u2060", text) if "\n" in text else text


class Scan:
    """One text's words and figures, indexed for the questions a figure's reading asks."""

    def __init__(self, text: str, words: list[Word], quantities) -> None:
        self.text, self.words = text, words
        self.starts = [w.start for w in words]
        self.marks = {role: [w.start for w in words if w.role == role] for role in ("narrow", "act")}
        self.lists = Breaks(text, CLAUSE_BREAK.replace("、", "") + SENTENCE_BREAK)
        self.figures = [q.start for q in quantities]
        self.anchors = [w for w in words if w.role in ("subject", "foreign")]
        self.anchor_starts = [w.start for w in self.anchors]

    def list_verbs(self, clause: int) -> list[Word]:
        """For an item of a 、-list, the table-2 verbs of its first item (the verb governs the whole list)."""
        if clause == 0 or self.text[clause - 1] != "、":
            return []
        head = self.lists.back(clause - 1)
        i = bisect_left(self.figures, head)
        first_end = min(self.figures[i] if i < len(self.figures) else clause, clause)
        return [w for w in _between(self.words, self.starts, head, first_end)
                if w.role.startswith(("document", "decision", "cumulative"))]

    def inherited(self, sentence: int, clause: int) -> Word | None | bool:
        """The last subject earlier in the sentence; False when a foreign word comes after it, None when there is none."""
        i = bisect_left(self.anchor_starts, clause)
        if not i or self.anchors[i - 1].start < sentence or self.anchors[i - 1].end > clause:
            return None
        last = self.anchors[i - 1]
        return False if last.role == "foreign" else last

    def any(self, role: str, start: int, end: int) -> bool:
        """Whether a word of ``role`` starts in [start, end)."""
        marks = self.marks[role]
        i = bisect_left(marks, start)
        return i < len(marks) and marks[i] < end


class Breaks:
    """Where the characters of a set stand in a text, to find the one before or after a position by bisection."""

    def __init__(self, text: str, chars: str) -> None:
        self.at = [m.start() for m in compiled("[" + re.escape(chars) + "]").finditer(text)]
        self.length = len(text)

    def back(self, pos: int) -> int:
        """Just after the last break before ``pos`` (0 if none)."""
        i = bisect_left(self.at, pos)
        return self.at[i - 1] + 1 if i else 0

    def forward(self, pos: int) -> int:
        """The first break at or after ``pos`` (the text's length if none)."""
        i = bisect_left(self.at, pos)
        return self.at[i] if i < len(self.at) else self.length


def _without(text: str, words: list[Word], start: int, end: int) -> str:
    """text[start:end] with the given words (all within it) cut out."""
    pieces, at = [], start
    for w in words:
        pieces.append(text[at:w.start])
        at = w.end
    pieces.append(text[at:end])
    return "".join(pieces).replace("\u2060", "")


def _between(words: list[Word], starts: list[int], start: int, end: int) -> list[Word]:
    i = bisect_left(starts, start)
    out = []
    while i < len(words) and words[i].start < end:
        if words[i].end <= end:
            out.append(words[i])
        i += 1
    return out


def _compound(text: str, words: list[Word], starts: list[int], subject: Word) -> bool:
    """A bare 申请 right after another subject or a foreign word is that one's application (行政许可申请)."""
    if text[subject.start:subject.end] != "申请":
        return False
    i = bisect_left(starts, subject.start)
    return i > 0 and words[i - 1].end == subject.start and words[i - 1].role in ("subject", "foreign")

