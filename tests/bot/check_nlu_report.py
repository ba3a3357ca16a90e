"""Fails when held-out NLU quality drops below its floor; prints intent and entity F1.

Usage: python tests/bot/check_nlu_report.py reports/nlu  (after `rasa test nlu`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

INTENT_F1_FLOOR = 0.94  # measured 0.950 on the 469-example held-out split (the goal was 0.95)
ENTITY_F1_FLOOR = 0.945  # measured 0.956 (region, country, level, ip_type, award, entity_type)
ENTITY_EXTRACTOR = "CRFEntityExtractor"


def main() -> int:
    folder = Path(sys.argv[1])
    intents = json.loads((folder / "intent_report.json").read_text(encoding="utf-8"))
    intent_f1 = intents["weighted avg"]["f1-score"]
    entity_file = folder / f"{ENTITY_EXTRACTOR}_report.json"
    if not entity_file.exists():
        print(f"no entity report ({entity_file.name}): is {ENTITY_EXTRACTOR} still in config.yml?")
        return 1
    entity_f1 = json.loads(entity_file.read_text(encoding="utf-8"))["weighted avg"]["f1-score"]
    print(f"held-out intent F1 (weighted): {intent_f1:.3f}  (floor {INTENT_F1_FLOOR})")
    print(f"held-out entity F1 (weighted): {entity_f1:.3f}  (floor {ENTITY_F1_FLOOR})")
    worst = sorted(
        (v["f1-score"], k)
        for k, v in intents.items()
        if isinstance(v, dict) and "support" in v and k not in {"weighted avg", "macro avg", "micro avg"}
    )[:3]
    print("weakest intents:", ", ".join(f"{k} {f:.2f}" for f, k in worst))
    ok = intent_f1 >= INTENT_F1_FLOOR and entity_f1 >= ENTITY_F1_FLOOR
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
