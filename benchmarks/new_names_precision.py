"""Precision of ``graphkit mentions --new-names`` on the bundled articles.

Every candidate the command proposed was judged by hand (2026-11-30): a candidate is
right when it is the name of a person, organisation, product, model or publication (what
could become an entity or an outlet), wrong otherwise (common words, dates, benchmarks
and exams, fragments of a name or of a link).  Candidates not judged yet are listed, so a
change to the proposer is reviewed before its figure is believed.

    python benchmarks/new_names_precision.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graphkit.curate.newnames import new_names  # noqa: E402
from graphkit.data.locate import bundled_data_dir  # noqa: E402

RIGHT = {
    "金鹿", "郝博阳", "腾讯", "华尔街日报", "GPT", "Office", "GitHub", "Llama",
    "Wall Street Journal", "Nvidia", "TED", "WSJ", "STaR", "伊麗莎白", "沃倫", "美國政府",
    "Statista", "Azure", "范劍磊", "馬斯克", "H100", "耶魯大學", "哈佛大學", "牛津大學", "MIT",
    "DuckDuckGo",
}
WRONG = {
    "开发新", "聊天", "曝光", "宝贵", "远高于", "Sparsity", "沙丘", "Dropped Work", "New", "Model",
    "Rare Setback", "Information", "论文", "高昂", "高中生", "博士生", "新创建", "智慧", "金字塔",
    "上周四", "九月份", "明星", "htmGPT-4", "奧林匹克", "Future Research", "Enterprise", "Team",
    "新一輪", "Q2", "烏云", "官宣", "今年夏天", "MF", "陰云", "Character", "Plan B", "SOTA", "BBH",
    "BigBench Hard", "SAT", "LSAT", "GRE", "GMAT", "权衡", "何时能", "许可", "DAU", "阿布扎比",
    "美國公司", "Adapters", "LoRa", "額達", "顧問", "中發", "練大", "小鎮", "暴雷", "科德爾",
    "Super", "ETF",
}


def main() -> None:
    data = bundled_data_dir()
    totals = {"latin": [0, 0], "chinese": [0, 0]}
    unjudged = []
    for path in sorted((data / "documents").glob("*.txt")):
        candidates = new_names(data, path.name)
        right = [c["name"] for c in candidates if c["name"] in RIGHT]
        unjudged += [c["name"] for c in candidates if c["name"] not in RIGHT | WRONG]
        print(f"{path.name}: {len(right)} of {len(candidates)} right: {', '.join(right)}")
        for candidate in candidates:
            script = "latin" if candidate["tag"] == "latin" else "chinese"
            totals[script][0] += candidate["name"] in RIGHT
            totals[script][1] += 1
    right = sum(value[0] for value in totals.values())
    proposed = sum(value[1] for value in totals.values())
    print(f"precision: {right} of {proposed} ({right / max(proposed, 1):.0%}); Latin "
          f"{totals['latin'][0]} of {totals['latin'][1]}, Chinese {totals['chinese'][0]} of "
          f"{totals['chinese'][1]}")
    if unjudged:
        print(f"not judged yet (counted as wrong): {', '.join(unjudged)}")


if __name__ == "__main__":
    main()
