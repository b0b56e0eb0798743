"""`gidraft extract` on the seed gives every figure exactly as printed in it."""

from __future__ import annotations

import json

from conftest import SEED, run_cli

ZERO7 = [0, 0, 0, 0, 0, 0, 0]
COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
ROWS_2019 = [
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld_state_secret", "withheld_prohibited", "withheld_security", "withheld_third_party",
    "withheld_internal", "withheld_process", "withheld_enforcement", "withheld_query",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear",
    "rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_confirmation",
    "other", "processed_total", "carry_forward",
]
# The seed as printed: two requests by natural persons, both granted; everything else 0.
SEED_T3 = {row: ZERO7 for row in ROWS_2019} | {
    "new_received": [2, 0, 0, 0, 0, 0, 2],
    "granted": [2, 0, 0, 0, 0, 0, 2],
    "processed_total": [2, 0, 0, 0, 0, 0, 2],
}


def extract(path) -> dict:
    result = run_cli("extract", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_seed_meta():
    data = extract(SEED)
    assert data["meta"]["format"] == "2019"
    assert data["meta"]["year"] == 2019
    assert data["meta"]["agency"] == "淄博市工业和信息化局"


def test_seed_table3_every_cell():
    t3 = extract(SEED)["t3"]
    assert list(t3) == ROWS_2019
    for row, values in SEED_T3.items():
        assert [t3[row][c] for c in COLUMNS] == values, row


def test_seed_table4_every_cell():
    t4 = extract(SEED)["t4"]
    assert list(t4) == ["review", "litigation_direct", "litigation_after_review"]
    for group in t4.values():
        assert group == {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}


def test_seed_table2_every_cell():
    t2 = extract(SEED)["t2"]
    assert t2 == {
        "regulations": {"made": 0, "published": 0, "public_total": 0},
        "normative_documents": {"made": 2, "published": 2, "public_total": 4},
        "licensing": {"last_year_items": 0, "change": 0, "decisions": 0},
        "other_services": {"last_year_items": None, "change": None, "decisions": None},
        "penalty": {"last_year_items": 0, "change": 0, "decisions": 0},
        "coercion": {"last_year_items": 0, "change": 0, "decisions": 0},
        "fees": {"last_year_items": 0, "change": 0},
        "procurement": {"projects": 10, "amount_wanyuan": 367.98},
    }


def test_seed_sections_and_fees():
    data = extract(SEED)
    assert data["sections"]["problems"].startswith("2019年，市工信局政府信息公开工作取得了一定成绩")
    assert data["sections"]["other_matters"] == "无。"
    assert data["fees"]["info_processing_yuan"] is None


def test_extract_yaml_is_the_same_data(tmp_path):
    import yaml

    result = run_cli("extract", SEED, "--format", "yaml")
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout) == extract(SEED)
