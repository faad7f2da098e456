"""`nianbao extract` end to end, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_extract_writes_json_and_summary(tmp_path: Path) -> None:
    docs = [SAMPLES / "digital" / "xingzhuang-2023.pdf",
            SAMPLES / "digital" / "plain-2019-bureau-2019.pdf"]
    proc = _run("extract", *map(str, docs), "--out", str(tmp_path), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((tmp_path / "xingzhuang-2023.json").read_text("utf-8"))
    assert data["report"]["issuer"] == "邢庄镇人民政府"
    assert (tmp_path / "plain-2019-bureau-2019.json").exists()
    assert "xingzhuang-2023.pdf" in proc.stdout and "valid" in proc.stdout


def test_a_bad_document_fails_alone(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing here")
    good = SAMPLES / "digital" / "xingzhuang-2023.pdf"
    out = tmp_path / "out"
    proc = _run("extract", str(bad), str(good), "--out", str(out))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    failed = json.loads((out / "broken.json").read_text("utf-8"))
    assert failed["validation"]["status"] == "failed"
    assert failed["validation"]["findings"][0]["code"] == "corrupt"
    assert json.loads((out / "xingzhuang-2023.json").read_text("utf-8"))[
        "validation"]["status"] == "valid"


def test_exclude_skips_sidecar_files(tmp_path: Path) -> None:
    doc = SAMPLES / "digital" / "xingzhuang-2023.pdf"
    truth = SAMPLES / "digital" / "xingzhuang-2023.truth.json"
    proc = _run("extract", str(doc), str(truth), "--exclude", "*.truth.json",
                "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["xingzhuang-2023.json"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    proc = _run("extract", str(tmp_path / "nope.pdf"), "--out", str(tmp_path))
    assert proc.returncode == 2 and "No such file" in proc.stderr


def test_schema_command_prints_the_generated_schema() -> None:
    proc = _run("schema")
    schema = json.loads(proc.stdout)
    assert schema["title"] == "Nianbao result"
    assert "validation" in schema["properties"]
