"""The pilot municipalities as shipped in `municipalities/data/`, read into plain records.

The CSVs are copies of the programme's lists: Kyrgyz names as written (Ө, Ү, Ң kept),
ASCII slugs; the Russian and English names are this project's working spellings.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
OBLASTS_CSV = DATA_DIR / "oblasts.csv"
MUNICIPALITIES_CSV = DATA_DIR / "pilot_municipalities.csv"


@dataclass(frozen=True)
class Oblast:
    slug: str
    names: dict


@dataclass(frozen=True)
class Municipality:
    oblast_slug: str
    number: int
    slug: str
    names: dict


class PilotDataError(ValueError):
    pass


def _rows(path, required):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(required) - set(reader.fieldnames or [])
        if missing:
            raise PilotDataError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            if any(not (row.get(column) or "").strip() for column in required):
                raise PilotDataError(f"{path.name}, line {line}: every column needs a value")
            yield {key: value.strip() for key, value in row.items()}


def read_oblasts(path=OBLASTS_CSV):
    return [
        Oblast(
            slug=row["slug"],
            names={"ky": row["name_ky"], "ru": row["name_ru"], "en": row["name_en"]},
        )
        for row in _rows(path, ["slug", "name_ky", "name_ru", "name_en"])
    ]


def read_municipalities(path=MUNICIPALITIES_CSV):
    municipalities = []
    for row in _rows(path, ["oblast_slug", "number", "name", "slug", "name_ru", "name_en"]):
        try:
            number = int(row["number"])
        except ValueError as error:
            raise PilotDataError(
                f"{path.name}: number {row['number']!r} is not a whole number"
            ) from error
        municipalities.append(
            Municipality(
                oblast_slug=row["oblast_slug"],
                number=number,
                slug=row["slug"],
                names={"ky": row["name"], "ru": row["name_ru"], "en": row["name_en"]},
            )
        )
    return municipalities
