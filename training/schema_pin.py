"""Pins the schema each model version is trained on: writes models/<model>/<version>/schema.json.

The schema (columns in order with their feature, source, type, encoding, levels and default, and the
feature set's fingerprint) is written by training/pin-schema.js with the services' own built code, so
the fingerprint is the one the feature-service computes and the file is the exact form the model-server
compares with DescribeFeatureSet at load. Nothing here recomputes the fingerprint in Python.
"""

import json
import subprocess
from pathlib import Path

TRAINING = Path(__file__).resolve().parent


def pin_schema(registry: Path, feature_set: str, columns: list, outputs: list) -> dict:
    """Writes schema.json to every path of `outputs`; checks its columns are the ones training used."""
    result = subprocess.run(
        ["node", str(TRAINING / "pin-schema.js"), str(registry), feature_set, *(str(p) for p in outputs)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"pin-schema.js failed: {result.stderr.strip() or result.stdout.strip()}")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    for output in outputs:
        pinned = [column["name"] for column in json.loads(Path(output).read_text())["columns"]]
        if pinned != list(columns):
            raise SystemExit(f"{output}: the feature-service's columns {pinned} are not the ones trained on {list(columns)}")
    return summary
