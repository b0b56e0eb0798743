"""gidraft quality benchmark: table extraction against the hand-written truth, findings on the clean samples,
and recall on defects the benchmark injects itself, one at a time.

Run with the Python that has gidraft (and jieba, pypinyin) installed, from anywhere::

    python benchmarks/quality.py                  # full run (≤ 5 minutes on 2 cores)
    python benchmarks/quality.py --quick          # fewer cases, for use while developing (≤ 1 minute)
    python benchmarks/quality.py --only typos     # some defect types (names, groups or "typos"), comma-separated
    python benchmarks/quality.py --json out.json --verbose --seed 7 --fixtures DIR

It checks files with the same in-process pipeline as ``gidraft check`` (``gidraft.check.Checker``) and extracts
with the one of ``gidraft extract`` (``report_data(build_report(read_source(path)))``).  Every mutant is written
to a temporary file with the sample's name and checked like a user's file.  Positions are compared in the
file's own characters (``Source.raw``), so the readers' logical text is never assumed.

It measures, it does not gate: the exit status is 0 whatever the results.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------- defect types
# type: (group, code prefixes of a finding that counts as finding the defect, where it must be)
#   "place": the finding (or one of its related places) overlaps the injected place, ± SLACK characters;
#   "anywhere": any new finding of the family counts (the report year is stated once, its effects everywhere).
TYPO_FAMILY = ("L1", "L2")
TYPES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "table-cell": ("table", ("T0", "T3", "T4"), "place"),
    "row-label": ("table", ("T",), "place"),
    "narrative-figure": ("narrative", ("N",), "place"),
    "narrative-total": ("narrative", ("N",), "place"),
    "heading-deleted": ("structure", ("S",), "place"),
    "heading-misspelt": ("structure", ("S",), "place"),
    "year": ("structure", ("S", "L5"), "anywhere"),
    "doubled-char": ("typos", ("L1",), "place"),
    "repeated-word": ("typos", ("L1",), "place"),
    "pinyin": ("typos", TYPO_FAMILY, "place"),
    "shape": ("typos", TYPO_FAMILY, "place"),
    "deleted-char": ("typos", TYPO_FAMILY, "place"),
}
LANGUAGE_TYPES = [t for t, (group, _, _) in TYPES.items() if group == "typos"]
SLACK = 2
# Excerpts are narrative only: their structure and table findings mean nothing, and half-width punctuation in
# excerpts-dev.jsonl is an artefact of the store that kept them.  So on excerpts only these codes count.
EXCERPT_CODES = ("L", "N")
EXCERPT_IGNORED = ("L3",)


def excerpt_code(code: str) -> bool:
    return code.startswith(EXCERPT_CODES) and not code.startswith(EXCERPT_IGNORED)

# Visually similar characters (形近字), written here as test data for the shape-substitution defect.  The
# detector must not share this list: it has to find shape slips by method.  Each pair is used both ways.
SHAPE_PAIRS = """
己已 已巳 未末 入人 人八 候侯 拨拔 辨辩 辩辫 剌刺 戍戌 戌戊 汩汨 祟崇 赢羸 赢嬴 籍藉 日曰 目日 白自 士土 干千 千于
大太 太犬 天夭 今令 王玉 主王 刀力 力办 办为 问间 间闻 没设 申甲 甲由 由田 免兔 鸟乌 买卖 折拆 析折 准淮 治冶 决诀
快块 持待 待侍 特持 历厉 斤斥 徒徙 体休 住往 住注 壮状 晴睛 复夏 便使 栽裁 载栽 戴载 幕暮 墓幕 募幕 慕幕 陷馅 稍梢
练炼 拦栏 篮蓝 绩债 责贵 货贷 暑署 浙淅 钓钩 园圆 困因 囚因 龙尤 徽微 提堤 题提 性姓 理埋 杜社 礼札 农衣 衰哀 衷哀
币市 师帅 幸辛 壁璧 遗遣 惯贯 霄宵 管菅 宫官 抹沫 盲肓 崖涯 券卷 棒捧 峰蜂 蓬篷 奉奏 泰秦 春舂 形刑 缉辑 揖楫 肢枝
技枝 仗杖 惜借 措错 蓄畜 粟栗 粱梁 狭侠 狼狠 很狠 根跟 即既 概慨 溉慨 短矩 拒柜 卸御 阅阀 闭闲 闪闯 秩秧 堵睹 睹赌
怡贻 旦且 具真 直真 值植 殖植 苦若 矛予 子孑 方万 风凤 几凡 九丸 米来 季李 乘乖 与写 兴与 瓜爪 狐孤 竞竟 毫豪 熟孰
敦墩 享亨 廓郭 蔽敝 弊蔽 撤撒 缴激 郊效 访仿 防妨 贪贫 舍含 合会 佘余 徐涂 途徐 叙舒 愉偷 坚竖 鉴监 检捡 验险 创剑
脸睑 午年 午牛 汁计 处外 洁结 转砖 到倒 受爱 及乃 县具 径经 平乎 冈网 推堆 朋明 陪培 驯训 导异 刁习 穷究 宣宜 读续
劝动 鉴签 己巳 浅线 怠急 急怎 怎作 作昨 沉况 况祝 沈沉 席度 体本 本木 末朱 朱未 牛生 失矢 先无 无元 元完 完宗
材村 村林 林休 仍扔 扔奶 汽汔 吕另 另叧 句旬 旬甸 员贝 贝见 兵乒 庄压 厅斤 币巾 古占 占点 京享 官宦 卜卡 土工
上土 吉古 杏呆 采釆 峻竣 浚竣 饶烧 烧浇 浇绕 绕饶 侥烧 晓烧 拨泼 婴樱 缨婴 授援 援暖 暖缓 缓暧 媛缓
抄妙 秒抄 炒秒 沙抄 吵炒 纱沙 挑桃 桃逃 跳挑 眺跳 兆挑 驳驮 驰弛 池弛 施旋 旋族 族旅 旅旋 派脉 孤弧
""".split()
SHAPE: dict[str, list[str]] = {}
for a, b in SHAPE_PAIRS:
    for one, other in ((a, b), (b, a)):
        if other not in SHAPE.setdefault(one, []):
            SHAPE[one].append(other)

HAN = re.compile(r"[\u4e00-\u9fff]+")
PUNCT_AFTER = "，。；、：！？"
TABLE_TOPIC = re.compile(r"申请|复议|诉讼|规章|规范性文件|许可|处罚|强制|结转|办结|答复|收费|公开")
UNITS = "件|项|条|起|个|次|篇"
NARRATIVE_FIGURE = re.compile(rf"(?<![\d.])(\d+)\s*({UNITS})")
NARRATIVE_TOTAL = re.compile(rf"(?:(?<!公)共|合计|总计|累计|总数)[^，。；\d]{{0,14}}?(?<![\d.])(\d+)\s*(?:{UNITS})"
                             rf"|(?<![\d.])(\d+)\s*(?:{UNITS})[，,：:]?\s*其中")


# ------------------------------------------------------------------------------------- the model

@dataclass
class Found:
    """A finding in the file's own characters (raw offsets), with its related places."""

    code: str
    severity: str
    start: int
    end: int
    message: str
    related: list[tuple[int, int]] = field(default_factory=list)
    fix: str | None = None  # the replacement of [start, end) the finding proposes


@dataclass
class Sample:
    name: str  # as shown in the tables
    filename: str  # the mutant is written under this name (the suffix decides md / txt)
    raw: str
    chars: int  # length of the logical text
    findings: list[Found]
    report: object | None
    excerpt: bool = False
    mutable: bool = False  # a text rendering: defects can be injected into the file's characters
    defects: list[str] = field(default_factory=list)  # excerpts: the real defects a reader noted
    truth: dict | None = None  # the determined cells of truth/ for this file, when it has one
    facts: list[dict] | None = None  # the narrative's table facts read by hand (tests/data/sample-facts.yaml)


@dataclass
class Mutant:
    type: str
    sample: str
    start: int  # raw offset of the edit
    old: str
    new: str
    place: tuple[int, int]  # raw span of the defect in the mutant
    what: str  # for humans: 工业→工工业, t3.granted.total 30→31 (line breaks shown as ⏎)
    key: str | None = None  # the table cell or row changed
    words: tuple[str, str] | None = None  # language types: the word before and after (工业, 工工业)

    def __post_init__(self) -> None:
        self.what = self.what.replace("\n", "⏎")

    def apply(self, raw: str) -> str:
        assert raw[self.start:self.start + len(self.old)] == self.old
        return raw[:self.start] + self.new + raw[self.start + len(self.old):]

    @property
    def delta(self) -> int:
        return len(self.new) - len(self.old)


@dataclass
class Outcome:
    mutant: Mutant
    found: bool
    hit: list[str]  # the findings that count as finding it
    false: list[str]  # new findings that are not the injected defect
    error: str | None = None
    suggestion: str = "none"  # of a found defect: "right" (a hit's fix gives the original back), "wrong" (hits
    #                           propose fixes, none gives it back) or "none" (no fix proposed)


# ----------------------------------------------------------------------------------------- gidraft

class Gidraft:
    """The real pipeline of ``gidraft check`` and ``gidraft extract``, in this process."""

    def __init__(self) -> None:
        from gidraft.check import Checker

        self.checker = Checker({})
        self.tmp = tempfile.TemporaryDirectory(prefix="gidraft-quality-")
        self.checks = 0

    def check(self, path: Path):
        self.checks += 1
        return self.checker.check(str(path))

    def check_text(self, filename: str, raw: str):
        path = Path(self.tmp.name) / filename
        path.write_text(raw, encoding="utf-8")
        return self.check(path)

    @staticmethod
    def findings(result) -> list[Found]:
        source = result.source
        if source is None:
            return []

        def raw_span(start: int, end: int) -> tuple[int, int]:
            a = source.raw_offset(start)
            return (a, a) if end <= start else (a, source.raw_offset(end - 1) + 1)

        out = []
        for item in result.findings:
            f = item.finding
            out.append(Found(f.code, f.severity, *raw_span(f.start, f.end), f.message,
                             [raw_span(s, e) for s, e, *_ in (f.related or [])], f.fix))
        return out

    @staticmethod
    def extract(result) -> dict:
        from gidraft.report.data import report_data

        return report_data(result.report)


# ------------------------------------------------------------------------------------------ samples

def report_sample(gidraft: Gidraft, path: Path, result=None) -> Sample | None:
    """A report file, checked as it is; None (with a note) when gidraft cannot read it."""
    result = result or gidraft.check(path)
    if result.source is None:
        print(f"quality: {path.name}: {result.error}", file=sys.stderr)
        return None
    return Sample(path.name, path.name, result.source.raw, len(result.source.text), gidraft.findings(result),
                  result.report, mutable=result.source.kind in ("txt", "md"))


def excerpt_sample(gidraft: Gidraft, number: int, item: dict) -> Sample:
    """One narrative excerpt, checked as a text file; only the prose rules' findings are kept."""
    name = f"excerpt-{number:02d}.txt"
    result = gidraft.check_text(name, item["text"])
    sample = Sample(f"excerpt {number:02d}", name, result.source.raw, len(result.source.text),
                    [f for f in gidraft.findings(result) if excerpt_code(f.code)], result.report,
                    excerpt=True, mutable=True)
    sample.defects = item.get("defects") or []
    return sample


def load_samples(fixtures: Path, gidraft: Gidraft, text_only: bool = False) -> tuple[list[Sample], list[Sample], dict]:
    """The report samples (checked as they are) and the excerpts; also the check results by path.
    ``text_only``: just the text renderings, the only ones defects are injected into."""
    corpus = fixtures / "corpus"
    kinds = (".txt", ".md") if text_only else (".txt", ".md", ".pdf", ".docx")
    paths = sorted((fixtures / "seed").glob("*.txt"))
    paths += sorted(p for p in corpus.iterdir() if p.suffix.lower() in kinds and p.name.lower() != "readme.md")
    samples, results = [], {}
    for path in paths:
        results[path.resolve()] = result = gidraft.check(path)
        sample = report_sample(gidraft, path, result)
        if sample:
            samples.append(sample)
    excerpts = []
    jsonl = corpus / "excerpts-dev.jsonl"
    if jsonl.exists():
        lines = [line for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
        excerpts = [excerpt_sample(gidraft, number, json.loads(line)) for number, line in enumerate(lines, 1)]
    return samples, excerpts, results


# ------------------------------------------------------------------------------ 1. extraction

def flatten(data: dict) -> dict[str, object]:
    cells = {}
    for table in ("t2", "t3", "t4"):
        for row, columns in (data.get(table) or {}).items():
            for column, value in (columns or {}).items():
                cells[f"{table}.{row}.{column}"] = value
    return cells


def same(got, expected) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))


def truths(fixtures: Path) -> dict[str, dict]:
    """The determined cells of every truth file, by the name of each rendering it lists."""
    out = {}
    for truth_path in sorted((fixtures / "corpus" / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        ambiguous = set(truth.get("ambiguous") or [])
        cells = {k: v for k, v in flatten(truth).items() if k not in ambiguous}
        out.update({Path(rendering).name: cells for rendering in truth.get("files") or []})
    return out


def rendered(fixtures: Path, stem: str) -> list[Path]:
    """The sample's figures drafted to Word and printed by other programs (formats/STEM.libreoffice.pdf, its
    ``pdftotext -layout`` text): renderings no agency's own file has, read against the same truth."""
    return sorted((fixtures / "formats").glob(f"{stem}.libreoffice*"))


def extraction(fixtures: Path, gidraft: Gidraft, results: dict) -> list[dict]:
    rows = []
    for truth_path in sorted((fixtures / "corpus" / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        expected = flatten(truth)
        ambiguous = set(truth.get("ambiguous") or [])
        renderings = [(fixtures / "corpus" / rendering).resolve() for rendering in truth.get("files") or []]
        renderings += rendered(fixtures, truth_path.stem)
        for path in renderings:
            row = {"truth": truth_path.stem, "file": path.name, "determined": 0, "correct": 0,
                   "ambiguous": len(ambiguous), "guessed": 0, "wrong": [], "error": None}
            result = results.get(path) or (gidraft.check(path) if path.exists() else None)
            if result is None or result.report is None:
                row["error"] = result.error if result else "文件不存在"
                rows.append(row)
                continue
            got = flatten(gidraft.extract(result))
            for key, value in expected.items():
                if key in ambiguous:
                    if got.get(key) is not None:
                        row["guessed"] += 1
                        row["wrong"].append(f"{key}: got {got.get(key)} (ambiguous, must stay null)")
                    continue
                row["determined"] += 1
                if key in got and same(got[key], value):
                    row["correct"] += 1
                else:
                    row["wrong"].append(f"{key}: got {got.get(key, '(no such cell)')} expected {value}")
            rows.append(row)
    return rows


# --------------------------------------------------------------------------- 2. clean originals

def noted_defects(sample: Sample) -> list[tuple[str, int, int]]:
    """(note, raw start, raw end) of every quoted passage of an excerpt's noted defects found in its text."""
    out = []
    for note in sample.defects:
        for quoted in re.findall(r"'([^']{2,})'", note):
            at = sample.raw.find(quoted)
            while at >= 0:
                out.append((note, at, at + len(quoted)))
                at = sample.raw.find(quoted, at + 1)
    return out


def known_defect(sample: Sample, f: Found) -> bool:
    """An excerpt's finding on a real defect its reader noted (a quoted passage of its ``defects``)."""
    return any(inside(f, a, b) for _, a, b in noted_defects(sample))


def inside(f: Found, a: int, b: int) -> bool:
    """The finding touches the passage a..b itself (no slack: a noted passage is exact)."""
    return a <= f.start < b if f.start == f.end else f.start < b and f.end > a


def defects_found(excerpts: list[Sample]) -> list[dict]:
    """Each noted defect of the excerpts whose passage is in the text, and the findings on it."""
    out = []
    for sample in excerpts:
        places: dict[str, list[tuple[int, int]]] = {}
        for note, a, b in noted_defects(sample):
            places.setdefault(note, []).append((a, b))
        for note, spans in places.items():
            codes = sorted({f.code for f in sample.findings for a, b in spans if inside(f, a, b)})
            out.append({"sample": sample.name, "defect": note, "codes": codes})
    return out


def clean_summary(samples: list[Sample], excerpts: list[Sample]) -> dict:
    def tally(group: list[Sample]) -> dict:
        by_code: dict[str, dict[str, int]] = {}
        for sample in group:
            for f in sample.findings:
                by_code.setdefault(f.code, {}).setdefault(f.severity, 0)
                by_code[f.code][f.severity] += 1
        return dict(sorted(by_code.items()))

    def rate(group: list[Sample], skip_known: bool = False) -> dict:
        chars = sum(s.chars for s in group)
        language = [f for s in group for f in s.findings
                    if f.code.startswith("L") and not (skip_known and known_defect(s, f))]
        return {"chars": chars, **{sev: round(sum(f.severity == sev for f in language) * 10000 / max(chars, 1), 2)
                                   for sev in ("error", "warning", "info")}}

    texts = [s for s in samples if s.mutable]
    return {
        "samples": tally(samples),
        "excerpts": tally(excerpts),
        "per_sample": {s.name: len(s.findings) for s in samples},
        "language_per_10k": {"samples (text renderings)": rate(texts), "excerpts (no L3xx)": rate(excerpts),
                             "excerpts, noted real defects left out": rate(excerpts, skip_known=True)},
        "noted_defects": defects_found(excerpts),
        "language_findings": [
            {"sample": s.name, "code": f.code, "severity": f.severity, "text": s.raw[f.start:f.end][:40],
             "message": f.message, "known_defect": s.excerpt and known_defect(s, f)}
            for s in texts + excerpts for f in s.findings if f.code.startswith("L")],
    }


# ---------------------------------------------------------------------------- 3. the injectors

class Language:
    """jieba's dictionary and segmentation, and pypinyin: what decides where a typo is a typo."""

    def __init__(self) -> None:
        import logging

        import jieba
        import jieba.posseg

        try:
            from pypinyin import lazy_pinyin
        except ImportError:  # the pinyin type is then left out, with a note
            lazy_pinyin = None
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        self.freq = jieba.dt.FREQ
        self.posseg = jieba.posseg.dt
        self.pinyin = lazy_pinyin
        # common characters: weighted by the frequency of the words they occur in
        weight: dict[str, int] = {}
        for word, count in self.freq.items():
            if count >= 50 and len(word) >= 2 and HAN.fullmatch(word):
                for char in word:
                    weight[char] = weight.get(char, 0) + count
        common = sorted(weight, key=weight.get, reverse=True)[:3500]
        self.common = common
        self.rank = {char: i for i, char in enumerate(common)}
        self.by_sound: dict[str, list[str]] = {}
        for char in common if lazy_pinyin else ():
            self.by_sound.setdefault(self.pinyin(char)[0], []).append(char)

    def word(self, text: str) -> bool:
        return self.freq.get(text, 0) > 0

    def words(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, word, part of speech) of every word of the text."""
        out, at = [], 0
        for pair in self.posseg.cut(text):
            out.append((at, pair.word, pair.flag))
            at += len(pair.word)
        return out if at == len(text) else []


def prose_words(sample: Sample, language: Language) -> list[tuple[int, str, str, str, str]]:
    """(raw offset, word, part of speech, character before, character after) for dictionary words of 2–4
    Chinese characters in the sample's prose (not in tables, the title or top-level headings), written
    contiguously in the file."""
    report = sample.report
    source = report.source
    text = source.text
    blocked = [(s.start, s.end) for s in report.tables.values()]
    if report.title_span:
        blocked.append((report.title_span.start, report.title_span.end))
    blocked += [(section.heading_span.start, section.heading_span.end) for section in report.sections]
    out = []
    for line in re.finditer(r"[^\n]+", text):
        for offset, word, flag in language.words(line.group()):
            start = line.start() + offset
            end = start + len(word)
            if not (2 <= len(word) <= 4 and HAN.fullmatch(word) and language.word(word)):
                continue
            if any(a < end and start < b for a, b in blocked):
                continue
            raw_start = source.raw_offset(start)
            if sample.raw[raw_start:raw_start + len(word)] != word:
                continue
            before = sample.raw[raw_start - 1] if raw_start else ""
            after = sample.raw[raw_start + len(word):raw_start + len(word) + 1]
            out.append((raw_start, word, flag, before, after))
    return out


def inject_doubled(sample, words, language, rng, limit):
    """A character of a word doubled (工业→工工业, 信息→信息息) where the pair is no dictionary word."""
    candidates = []
    for at, word, _, before, after in words:
        for i, char in enumerate(word):
            if language.word(char * 2) or char * 2 in word:
                continue
            if (i == 0 and before == char) or (i == len(word) - 1 and after == char):
                continue
            new = word[:i + 1] + char + word[i + 1:]
            candidates.append(Mutant("doubled-char", sample.name, at + i + 1, "", char, (at + i, at + i + 2),
                                     f"{word}→{new}", words=(word, new)))
    return pick(candidates, rng, limit)


def inject_repeated(sample, words, language, rng, limit):
    """A 2–4 character word written twice (审核→审核审核); nouns, or words of 3–4 characters."""
    candidates = []
    for at, word, flag, _, _ in words:
        if not (flag.startswith("n") or flag == "vn" or len(word) >= 3):
            continue  # two-character verbs reduplicate legitimately (研究研究)
        if sample.raw[at + len(word):at + 2 * len(word)] == word or sample.raw[at - len(word):at] == word:
            continue
        candidates.append(Mutant("repeated-word", sample.name, at + len(word), "", word,
                                 (at, at + 2 * len(word)), f"{word}→{word * 2}", words=(word, word * 2)))
    return pick(candidates, rng, limit)


def substitutions(word: str, i: int, others: list[str], language: Language, before: str, after: str):
    """Replacements of character i that leave no dictionary word behind (nor one with a neighbour)."""
    for other in others:
        new = word[:i] + other + word[i + 1:]
        if other == word[i] or language.word(new) or language.word(before + new) or language.word(new + after):
            continue
        yield new


def inject_pinyin(sample, words, language, rng, limit):
    """One character replaced by a common character of the same pinyin, tone-insensitive (申请→申情)."""
    candidates = []
    for at, word, _, before, after in words:
        sounds = language.pinyin(word)
        if len(sounds) != len(word) or language.freq.get(word, 0) < 20:
            continue
        for i, char in enumerate(word):
            others = [c for c in language.by_sound.get(sounds[i], []) if c != char][:8]
            options = list(substitutions(word, i, others, language, before, after))
            if options:
                new = rng.choice(options[:4])
                candidates.append(Mutant("pinyin", sample.name, at + i, char, new[i], (at + i, at + i + 1),
                                         f"{word}→{new} ({sounds[i]})", words=(word, new)))
    return pick(candidates, rng, limit)


def inject_shape(sample, words, language, rng, limit):
    """One character replaced by its partner of SHAPE_PAIRS (己→已, 候→侯)."""
    candidates = []
    for at, word, _, before, after in words:
        for i, char in enumerate(word):
            options = list(substitutions(word, i, SHAPE.get(char, []), language, before, after))
            if options:
                new = rng.choice(options)
                candidates.append(Mutant("shape", sample.name, at + i, char, new[i], (at + i, at + i + 1),
                                         f"{word}→{new}", words=(word, new)))
    return pick(candidates, rng, limit)


def inject_deleted(sample, words, language, rng, limit):
    """One character of a 2–4 character word dropped (渠道→渠): the rest is no word, or a lone
    character that seldom stands alone."""
    candidates = []
    for at, word, _, before, after in words:
        for i, char in enumerate(word):
            rest = word[:i] + word[i + 1:]
            if len(rest) == 1:
                if language.freq.get(rest, 0) >= 2000:
                    continue  # a character that stands alone as a word: the remainder would read as correct
            elif language.word(rest):
                continue
            if language.word(before + rest) or language.word(rest + after):
                continue
            candidates.append(Mutant("deleted-char", sample.name, at + i, char, "", (at + i, at + i),
                                     f"{word}→{rest}" + ("（标点前）" if after and after in PUNCT_AFTER else ""),
                                     words=(word, rest)))
    return pick(candidates, rng, limit)


def raw_contiguous(sample: Sample, start: int, end: int) -> tuple[int, int] | None:
    source = sample.report.source
    a = source.raw_offset(start)
    text = source.text[start:end]
    return (a, a + len(text)) if sample.raw[a:a + len(text)] == text else None


def nudge(value: int, rng: random.Random) -> int:
    """±1 keeping the number of digits (9 → 8, 0 → 1, 10 → 11)."""
    last = value % 10
    if last == 9:
        return value - 1
    if last == 0:
        return value + 1
    return value + rng.choice((-1, 1))


def inject_cells(sample, rng, limit):
    """A cell of table 3 or 4 (where the arithmetic can tell) ±1 at its span.  Where the file has a truth,
    only cells read right are used: a misread cell's span is not that cell (section 1 counts misreadings)."""
    candidates = []
    for key, cell in sample.report.cells.items():
        if not key.startswith(("t3.", "t4.")) or cell.status != "ok" or not isinstance(cell.value, int):
            continue
        if sample.truth is not None and not (key in sample.truth and same(cell.value, sample.truth[key])):
            continue
        span = raw_contiguous(sample, cell.span.start, cell.span.end)
        if span is None or sample.raw[span[0]:span[1]] != str(cell.value):
            continue
        new = str(nudge(cell.value, rng))
        candidates.append(Mutant("table-cell", sample.name, span[0], str(cell.value), new, span,
                                 f"{key} {cell.value}→{new}", key))
    return pick(candidates, rng, limit)


def narrative_numbers(sample: Sample, pattern: re.Pattern) -> list[tuple[int, int, int, int]]:
    """(raw start, raw end, value, logical start) of the pattern's first matched group in the prose."""
    report = sample.report
    text = report.text
    out = []
    for match in pattern.finditer(text):
        group = next(i for i in range(1, len(match.groups()) + 1) if match.group(i) is not None)
        start, end = match.span(group)
        if report.in_table(start) or (report.title_span and report.title_span.start <= start < report.title_span.end):
            continue
        span = raw_contiguous(sample, start, end)
        if span:
            out.append((*span, int(match.group(group)), start))
    return out


# How many cases of each kind a sample gives (per type: table cells, report-level defects, stated facts,
# language places, and per excerpt).
LIMITS = {"quick": {"table": 8, "report": 3, "facts": 3, "language": 4, "excerpt": 1},
          "full": {"table": 40, "report": 12, "facts": 100, "language": 15, "excerpt": 3}}


def attach_readings(fixtures: Path, samples: list) -> None:
    """Gives each sample its hand-read truth cells and narrative facts, where they were written down."""
    truth, facts = truths(fixtures), sample_facts(fixtures)
    for sample in samples:
        sample.truth = truth.get(sample.filename)
        sample.facts = facts.get(sample.filename)


def sample_facts(fixtures: Path) -> dict[str, list[dict]]:
    """The hand-written narrative facts of the samples (``tests/data/sample-facts.yaml`` beside the fixtures), by
    file name; empty when there is no such file."""
    path = fixtures.parent / "data" / "sample-facts.yaml"
    if not path.exists():
        return {}
    import yaml

    out: dict[str, list[dict]] = {}
    for fact in yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]:
        out.setdefault(Path(fact["file"]).name, []).append(fact)
    return out


LINE_BREAK = re.compile(r"\n[ \t\u3000]*")


def stated_at(raw: str, said: str, figure: str) -> int | None:
    """Raw offset of the figure's digits in the one place the statement stands, its line breaks (and the
    indentation after them) disregarded; None when it is not there once or its digits are not contiguous."""
    pieces, where, at = [], [], 0
    for match in LINE_BREAK.finditer(raw):
        pieces.append(raw[at:match.start()])
        where += range(at, match.start())
        at = match.end()
    pieces.append(raw[at:])
    where += range(at, len(raw))
    compact = "".join(pieces)
    if compact.count(said) != 1:
        return None
    digits = re.match(r"\d+", figure).group()
    start = where[compact.index(said) + said.index(figure)]
    return start if raw[start:start + len(digits)] == digits else None


def inject_narrative(sample, rng, limit):
    """A narrative figure ±1.  Where the sample's facts were written down by hand (``sample.facts``): each stated
    table fact, and nothing else (a figure the narrative does not tie to a table key cannot be checked by anyone).
    Otherwise: a prose figure with 件/项/条/起 that equals a table value, in a clause about the tables' topics."""
    if sample.facts is not None:
        candidates = []
        for fact in sample.facts:
            at = None if fact.get("silent") else stated_at(sample.raw, fact["said"], fact["figure"])
            if at is None:
                continue
            value = int(re.match(r"\d+", fact["figure"]).group())
            new = str(nudge(value, rng))
            candidates.append(Mutant("narrative-figure", sample.name, at, str(value), new, (at, at + len(str(value))),
                                     f"{fact['said']}：{value}→{new}", fact["keys"][0]))
        return pick(candidates, rng, limit)
    values = {c.value for c in sample.report.cells.values() if isinstance(c.value, int)}
    text = sample.report.text
    candidates = []
    for start, end, value, logical in narrative_numbers(sample, NARRATIVE_FIGURE):
        if NARRATIVE_FIGURE.match(text, logical).group(2) not in "件项条起":
            continue
        clause = re.split(r"[。；，]", text[max(0, logical - 30):logical])[-1]
        if value in values and TABLE_TOPIC.search(clause):
            new = str(nudge(value, rng))
            candidates.append(Mutant("narrative-figure", sample.name, start, str(value), new, (start, end),
                                     f"{clause[-14:]}{value}→{new}"))
    return pick(candidates, rng, limit)


def checkable_total(text: str, logical: int, value: int, unit: str, table_values: set[int]) -> str | None:
    """Why a stated total can be checked: a run of the other figures of its sentence with the same unit adds up
    to it, or it is a table figure stated in a sentence about the table's topics.  None: nothing in the report
    could contradict it.

    The sentence ends at 。, a line break or ；, except that a list announced by 其中： runs on across ；
    (``刊发稿件4132篇，其中…661篇；自主运营媒体刊发稿件2458篇`` does not say the second clause is a part).  A run
    counts only when it is the parts the text gives for the total: the figures right before it, or the figures
    after it, all of them to the sentence's end, in one list or several one after another that each add up to it
    (``7件，其中自然人6件，法人1件，予以公开1件，本机关不掌握4件，…1件，…1件``); not a stretch in the middle that
    happens to add up, nor a list with figures left over (``信息77条，其中…1条，…37条，…27条，…4条，…6条，…2条，
    机构职能1条``: the parts as written are 78, so the text is inconsistent before any change, and which of its
    figures are the parts of 77 it does not say)."""
    start = max(text.rfind(mark, 0, logical) for mark in "。\n；;") + 1
    listed = re.match(rf"\d+\s*(?:{UNITS})[，,]?\s*其中[：:]", text[logical:logical + 20])
    stops = "。\n" if listed else "。\n；;"
    ends = [e for e in (text.find(mark, logical) for mark in stops) if e >= 0]
    end = min(ends) if ends else len(text)
    figures = [(m.start(1), int(m.group(1))) for m in NARRATIVE_FIGURE.finditer(text, start, end)
               if m.group(2) == unit and m.start(1) != logical]
    after = next((i for i, (at, _) in enumerate(figures) if at > logical), len(figures))

    if any(sum(v for _, v in figures[i:after]) == value for i in range(after - 1)) or (
            len(figures) - after >= 2 and lists_of(value, [v for _, v in figures[after:]])):
        return "breakdown"
    if value in table_values and TABLE_TOPIC.search(text[start:logical]):
        return "table"
    return None


def lists_of(value: int, figures: list[int]) -> bool:
    """Whether the figures, in order, are one or more consecutive lists each adding up to ``value``."""
    running = 0
    for figure in figures:
        running += figure
        if running == value:
            running = 0
        elif running > value:
            return False
    return running == 0


def inject_total(sample, rng, limit):
    text = sample.report.text
    table_values = {c.value for c in sample.report.cells.values() if isinstance(c.value, int)}
    candidates = []
    for start, end, value, logical in narrative_numbers(sample, NARRATIVE_TOTAL):
        unit = NARRATIVE_FIGURE.match(text, logical)
        why = unit and checkable_total(text, logical, value, unit.group(2), table_values)
        if not why:
            continue
        # below its parts, a total contradicts them whether or not the list is complete
        new = str(value - 1 if why == "breakdown" else nudge(value, rng))
        candidates.append(Mutant("narrative-total", sample.name, start, str(value), new, (start, end),
                                 f"{text[max(0, logical - 14):logical]}{value}→{new}（{why}）"))
    return pick(candidates, rng, limit)


def inject_headings(sample, language, rng, limit):
    """Each top-level heading deleted, and each misspelt (one character after 、 replaced by a common one)."""
    report = sample.report
    sections = sorted(report.sections, key=lambda s: s.heading_span.start)
    deleted, misspelt = [], []
    for n, section in enumerate(sections):
        span = raw_contiguous(sample, section.heading_span.start, section.heading_span.end)
        if span is None:
            continue
        heading = sample.raw[span[0]:span[1]]
        following = sections[n + 1].heading_span.start if n + 1 < len(sections) else len(report.text)
        body_end = report.source.raw_offset(following) - len(heading)
        deleted.append(Mutant("heading-deleted", sample.name, span[0], heading, "", (span[0], max(span[0], body_end)),
                              f"删去“{heading}”"))
        mark = heading.find("、")
        positions = [i for i in range(mark + 1, len(heading)) if HAN.fullmatch(heading[i])]
        if positions:
            i = rng.choice(positions)
            other = rng.choice([c for c in language.common[:1500] if c != heading[i]])
            new = heading[:i] + other + heading[i + 1:]
            misspelt.append(Mutant("heading-misspelt", sample.name, span[0] + i, heading[i], other,
                                   (span[0], span[1]), f"{heading}→{new}"))
    return pick(deleted, rng, limit), pick(misspelt, rng, limit)


def row_labels(report) -> dict[str, str]:
    """The printed label of each row of tables 2 and 3 in the report's format (t2.licensing → 行政许可)."""
    layout = report.layout
    labels = {f"t2.{row.key}": row.label for row in layout.t2}
    labels.update({f"t3.{row.key}": row.label for row in layout.t3_rows})
    return labels


def inject_row_labels(sample, language, rng, limit):
    """One character of a table row label replaced or dropped.  The label is found as the longest run of
    Chinese characters of the format's label, written (contiguously) shortly before the row's first cell."""
    report = sample.report
    first: dict[str, object] = {}
    for key, cell in report.cells.items():
        row = key.rsplit(".", 1)[0]
        if cell.span.end > cell.span.start and (row not in first or cell.span.start < first[row].span.start):
            first[row] = cell
    candidates = []
    text = report.text
    for row, label in row_labels(report).items():
        cell = first.get(row)
        core = max(HAN.findall(label), key=len, default="")
        if cell is None or len(core) < 2:
            continue
        window_start = max(0, cell.span.start - len(label) - 12)
        at = text.rfind(core, window_start, cell.span.start)
        if at < 0:
            continue
        span = raw_contiguous(sample, at, at + len(core))
        if span is None:
            continue
        i = rng.randrange(len(core))
        if rng.random() < 0.5:
            other = rng.choice([c for c in language.common[:1500] if c not in core])
            new = core[:i] + other + core[i + 1:]
            mutant = Mutant("row-label", sample.name, span[0] + i, core[i], other, span, f"{row}：{core}→{new}", row)
        else:
            new = core[:i] + core[i + 1:]
            mutant = Mutant("row-label", sample.name, span[0] + i, core[i], "", (span[0], span[1] - 1),
                            f"{row}：{core}→{new}", row)
        candidates.append(mutant)
    return pick(candidates, rng, limit)


def inject_year(sample, rng):
    """The year of the title changed by one (the title as the report found it, else the first 'YYYY年…报告'
    near the start, line breaks allowed)."""
    report = sample.report
    if not report.year:
        return []
    year = str(report.year)
    if report.title_span:
        lo = report.source.raw_offset(report.title_span.start)
        hi = report.source.raw_offset(report.title_span.end - 1) + 1
        at = sample.raw.find(year, lo, hi)
    else:
        match = re.search(year + r"\s*年度?[^。]{0,40}?报告", sample.raw[:1000])
        at = match.start() if match else -1
    if at < 0:
        return []
    new = str(report.year + rng.choice((-1, 1)))
    return [Mutant("year", sample.name, at, year, new, (at, at + 4), f"标题年份 {year}→{new}")]


def pick(candidates: list[Mutant], rng: random.Random, limit: int) -> list[Mutant]:
    if len(candidates) <= limit:
        return candidates
    return sorted(rng.sample(candidates, limit), key=lambda m: m.start)


def mutants_for(sample: Sample, wanted: list[str], language: Language, seed: int, limits: dict) -> list[Mutant]:
    """The sample's mutants of every wanted type.  Each type draws from its own seeded generator, so its cases
    are the same whichever other types run (``--only typos`` repeats the typo cases of a full run)."""
    words: list = []
    limit = limits["excerpt"] if sample.excerpt else None
    tables = not sample.excerpt and bool(sample.report.cells)
    injectors = {
        "table-cell": lambda rng: inject_cells(sample, rng, limits["table"]) if tables else [],
        "row-label": lambda rng: inject_row_labels(sample, language, rng, limits["report"]) if tables else [],
        "narrative-figure": lambda rng: inject_narrative(sample, rng, limits["facts"]) if tables else [],
        "narrative-total": lambda rng: inject_total(sample, rng, limit or limits["report"]),
        "heading-deleted": lambda rng: inject_headings(sample, language, rng, limits["report"])[0],
        "heading-misspelt": lambda rng: inject_headings(sample, language, rng, limits["report"])[1],
        "year": lambda rng: inject_year(sample, rng),
        "doubled-char": lambda rng: inject_doubled(sample, words, language, rng, limit or limits["language"]),
        "repeated-word": lambda rng: inject_repeated(sample, words, language, rng, limit or limits["language"]),
        "pinyin": lambda rng: inject_pinyin(sample, words, language, rng, limit or limits["language"]),
        "shape": lambda rng: inject_shape(sample, words, language, rng, limit or limits["language"]),
        "deleted-char": lambda rng: inject_deleted(sample, words, language, rng, limit or limits["language"]),
    }
    out: list[Mutant] = []
    for kind in wanted:
        if sample.excerpt and TYPES[kind][0] != "typos" and kind != "narrative-total":
            continue
        if TYPES[kind][0] == "typos" and not words:
            words = prose_words(sample, language)
        try:
            out += injectors[kind](random.Random(f"{seed}:{sample.name}:{kind}"))
        except Exception as exc:  # noqa: BLE001 - a changed report model must not stop the other types
            print(f"quality: {sample.name}: {kind} injector failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return out


# ------------------------------------------------------------------------------------- judging

def overlaps(span: tuple[int, int], place: tuple[int, int]) -> bool:
    a, b = span
    lo, hi = place[0] - SLACK, place[1] + SLACK
    return a <= hi and b >= lo if a == b else a < hi and b > lo


def unshift(span: tuple[int, int], mutant: Mutant) -> tuple[int, int]:
    """A span of the mutant in the clean original's characters."""
    edit_end = mutant.start + len(mutant.new)

    def back(x: int) -> int:
        if x >= edit_end:
            return x - mutant.delta
        return min(x, mutant.start + len(mutant.old))

    return back(span[0]), back(span[1])


def judge(mutant: Mutant, clean: list[Found], got: list[Found], raw: str, excerpt: bool = False,
          original: str | None = None) -> Outcome:
    """Found: a new finding of the type's family at the place (or anywhere, for "anywhere" types).  New: not
    in the clean original (same code, span shifted by the edit), or there but now saying something else at the
    place.  False alarm: new, not the defect, and not pointing at the place (a finding of another family
    naming the place, such as N101 naming the changed cell, is a consequence, not a false alarm).  The
    suggestion is right when one hit's fix, applied to the mutant, gives the ``original`` text back."""
    _, family, where = TYPES[mutant.type]

    def near(f: Found) -> bool:
        return any(overlaps(s, mutant.place) for s in [(f.start, f.end), *f.related])

    unmatched = list(clean)
    new = []
    for f in got:
        if excerpt and not excerpt_code(f.code):
            continue
        a, b = unshift((f.start, f.end), mutant)
        twin = next((c for c in unmatched if c.code == f.code and abs(c.start - a) <= SLACK
                     and abs(c.end - b) <= SLACK and (c.message == f.message or not near(f))), None)
        if twin is None:
            new.append(f)
        else:
            unmatched.remove(twin)

    def show(f: Found) -> str:
        return f"{f.code} {raw[f.start:f.end][:24]!r}: {f.message}"

    hit = [f for f in new if f.code.startswith(family) and (where == "anywhere" or near(f))]
    false = [f for f in new if f not in hit and not near(f)]
    fixes = [raw[:f.start] + f.fix + raw[f.end:] for f in hit if f.fix is not None]
    suggestion = "right" if original in fixes else "wrong" if fixes else "none"
    return Outcome(mutant, bool(hit), [show(f) for f in hit], [show(f) for f in false], suggestion=suggestion)


# ---------------------------------------------------------------------------------------- running

def resolve_types(only: str | None) -> list[str]:
    if not only:
        return list(TYPES)
    wanted = []
    for name in (x.strip() for x in only.split(",") if x.strip()):
        group_name = "typos" if name == "language" else name
        matched = [t for t, (group, _, _) in TYPES.items() if group_name in (t, group)]
        if not matched and name not in ("extraction", "clean"):
            sys.exit(f"quality: unknown type {name!r}; types: {', '.join(TYPES)}; groups: table, narrative, "
                     "structure, typos; also extraction, clean")
        wanted += [t for t in matched if t not in wanted]
    return wanted


def run(args) -> dict:
    started = time.perf_counter()
    fixtures = Path(args.fixtures) if args.fixtures else Path(__file__).resolve().parent.parent / "tests" / "fixtures"
    if not (fixtures / "corpus").is_dir():
        sys.exit(f"quality: no samples in {fixtures} (expected corpus/ and seed/)")
    wanted = resolve_types(args.only)
    only_names = {x.strip() for x in (args.only or "").split(",")}
    sections = {"extraction", "clean"} if not args.only else only_names & {"extraction", "clean"}
    gidraft = Gidraft()
    samples, excerpts, results = load_samples(fixtures, gidraft, text_only=not sections)
    attach_readings(fixtures, samples)
    out: dict = {"fixtures": str(fixtures), "seed": args.seed, "quick": args.quick}
    if "extraction" in sections:
        out["extraction"] = extraction(fixtures, gidraft, results)
    if "clean" in sections:
        out["clean"] = clean_summary(samples, excerpts)
    if wanted:
        language = Language()
        if language.pinyin is None and "pinyin" in wanted:
            wanted.remove("pinyin")
            print("quality: pypinyin is not installed (pip install pypinyin): the pinyin type is left out",
                  file=sys.stderr)
        limits = LIMITS["quick" if args.quick else "full"]
        chosen_excerpts = excerpts[::4] if args.quick else excerpts
        outcomes: list[Outcome] = []
        for sample in [s for s in samples if s.mutable] + chosen_excerpts:
            for mutant in mutants_for(sample, wanted, language, args.seed, limits):
                raw = mutant.apply(sample.raw)
                result = gidraft.check_text(sample.filename, raw)
                if result.source is None:
                    outcomes.append(Outcome(mutant, False, [], [], result.error))
                    continue
                outcomes.append(judge(mutant, sample.findings, gidraft.findings(result), raw, sample.excerpt, sample.raw))
        out["injected"] = summarise(outcomes, wanted)
        out["cases"] = [{**asdict(o.mutant), "found": o.found, "hit": o.hit, "false": o.false, "error": o.error,
                         "suggestion": o.suggestion} for o in outcomes]
    out["checks"] = gidraft.checks
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def summarise(outcomes: list[Outcome], wanted: list[str]) -> dict:
    table = {}
    for kind in wanted:
        mine = [o for o in outcomes if o.mutant.type == kind]
        per_sample = {}
        for o in mine:
            entry = per_sample.setdefault("excerpts" if o.mutant.sample.startswith("excerpt") else o.mutant.sample,
                                          {"cases": 0, "found": 0, "false": 0})
            entry["cases"] += 1
            entry["found"] += o.found
            entry["false"] += len(o.false)
        found = sum(o.found for o in mine)
        table[kind] = {"cases": len(mine), "found": found, "recall": round(found / len(mine), 3) if mine else None,
                       "right_fix": sum(o.found and o.suggestion == "right" for o in mine),
                       "wrong_fix": sum(o.found and o.suggestion == "wrong" for o in mine),
                       "new_false_alarms": sum(len(o.false) for o in mine),
                       "cases_with_false_alarms": sum(bool(o.false) for o in mine),
                       "errors": sum(bool(o.error) for o in mine), "per_sample": per_sample}
    return table


# ---------------------------------------------------------------------------------------- printing

def print_tables(out: dict, verbose: bool) -> None:
    if "extraction" in out:
        print("\n## 1. Extraction against truth/ (cells correct / determined; ambiguous cells guessed)\n")
        print(f"{'truth':<22} {'file':<44} {'correct':>15} {'ambiguous guessed':>18}")
        for row in out["extraction"]:
            if row["error"]:
                print(f"{row['truth']:<22} {row['file']:<44} ERROR {row['error']}")
                continue
            share = f"{row['correct']}/{row['determined']} ({100 * row['correct'] / max(row['determined'], 1):.1f}%)"
            print(f"{row['truth']:<22} {row['file']:<44} {share:>15} {row['guessed']:>9}/{row['ambiguous']:<8}")
            if verbose:
                for wrong in row["wrong"]:
                    print(f"    {wrong}")
        total = sum(r["correct"] for r in out["extraction"]), sum(r["determined"] for r in out["extraction"])
        print(f"{'all':<22} {'':<44} {total[0]}/{total[1]} ({100 * total[0] / max(total[1], 1):.1f}%)")
    if "clean" in out:
        clean = out["clean"]
        print("\n## 2. Findings on the clean originals (code: error/warning/info)\n")
        for group in ("samples", "excerpts"):
            counts = "  ".join(f"{code} {'/'.join(str(v.get(s, 0)) for s in ('error', 'warning', 'info'))}"
                               for code, v in clean[group].items())
            print(f"{group:<9} {counts or '(none)'}")
        print("per sample: " + ", ".join(f"{name} {n}" for name, n in clean["per_sample"].items()))
        for group, rate in clean["language_per_10k"].items():
            print(f"language findings per 10 000 characters, {group}: "
                  f"error {rate['error']}, warning {rate['warning']}, "
                  f"info {rate['info']} ({rate['chars']} characters)")
        noted = clean["noted_defects"]
        print(f"noted real defects of the excerpts (passage located) with a finding on them: "
              f"{sum(bool(d['codes']) for d in noted)}/{len(noted)}")
        if verbose:
            for d in noted:
                print(f"    {d['sample']}: {'/'.join(d['codes']) or 'MISS'}: {d['defect']}")
            for f in clean["language_findings"]:
                known = " (a real defect noted in the excerpt)" if f["known_defect"] else ""
                print(f"    {f['sample']}: {f['code']} {f['severity']} {f['text']!r}: {f['message']}{known}")
    if "injected" in out:
        print("\n## 3. Injected defects, one at a time\n")
        print(f"{'type':<18} {'cases':>6} {'found':>6} {'recall':>7} {'new false alarms':>17} {'right fix':>10} {'wrong fix':>10}")
        for kind, row in out["injected"].items():
            recall = "-" if row["recall"] is None else f"{100 * row['recall']:.1f}%"
            fixes = (row["right_fix"], row["wrong_fix"]) if kind in LANGUAGE_TYPES else ("-", "-")
            print(f"{kind:<18} {row['cases']:>6} {row['found']:>6} {recall:>7} {row['new_false_alarms']:>17}"
                  f" {fixes[0]:>10} {fixes[1]:>10}")
        print("\nper sample (found/cases, new false alarms):")
        for kind, row in out["injected"].items():
            cells = ", ".join(f"{name} {v['found']}/{v['cases']} ({v['false']})"
                              for name, v in row["per_sample"].items())
            print(f"  {kind}: {cells}")
        if verbose:
            for case in out["cases"]:
                if not case["found"] or case["false"]:
                    status = "MISS" if not case["found"] else "found"
                    print(f"  {status} {case['type']} {case['sample']} @{case['start']}: {case['what']}"
                          + (f" [error: {case['error']}]" if case["error"] else ""))
                    for text in case["false"]:
                        print(f"      new: {text}")
    print(f"\n{out['checks']} checks in {out['seconds']} s (seed {out['seed']}{', quick' if out['quick'] else ''})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", metavar="DIR", help="samples folder (default: tests/fixtures beside this script)")
    parser.add_argument("--only", metavar="TYPE[,TYPE]",
                        help=f"defect types or groups to inject ({', '.join(TYPES)}; table, narrative, structure, "
                             "typos); 'extraction' and 'clean' select those sections; default: everything")
    parser.add_argument("--quick", action="store_true", help="fewer cases (for use while developing)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the injected defects' choice (default 1)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list wrong cells, misses and false alarms")
    parser.add_argument("--json", metavar="FILE", help="also write everything as JSON to FILE")
    args = parser.parse_args(argv)
    out = run(args)
    print_tables(out, args.verbose)
    if args.json:
        target = Path(args.json)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        partial.replace(target)  # atomic: a reader never sees half a file


if __name__ == "__main__":
    main()
