"""`python -m handbook search`, run as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args], capture_output=True, text=True, timeout=60
    )


def test_search_json_shape(small_handbook):
    done = run("search", "søkte muntlig i skranken", "--json", "--handbook", str(small_handbook))
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["query"] == "søkte muntlig i skranken"
    assert isinstance(payload["confident"], bool)
    assert 0.0 <= payload["confidence"] <= 1.0
    first = payload["results"][0]
    assert first["routine"] == "muntlig-soknad"
    assert set(first) >= {"routine", "title", "section", "excerpt", "score", "legal"}
    assert first["legal"][0]["url"].startswith("https://lovdata.no/")


def test_search_text_output_and_no_match(small_handbook):
    done = run("search", "🙂", "--handbook", str(small_handbook))
    assert done.returncode == 0
    assert "Fant ingen rutine" in done.stdout


def test_the_done_when_question_on_the_shipped_handbook():
    done = run("search", "bruker ringte og søkte muntlig", "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["results"][0]["routine"] == "muntlig-soknad"
    assert payload["confident"] is True


def test_check_on_the_shipped_handbook_passes():
    done = run("check", "--today", "2026-11-23")
    assert done.returncode == 0, done.stdout + done.stderr


def test_handbook_dir_from_the_environment(small_handbook, tmp_path):
    import os

    env = {**os.environ, "HANDBOOK_DIR": str(small_handbook)}
    done = subprocess.run(
        [sys.executable, "-m", "handbook", "search", "skranken", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert json.loads(done.stdout)["results"][0]["routine"] == "muntlig-soknad"
    assert all(
        r["routine"] in {"muntlig-soknad", "journalforing"}
        for r in json.loads(done.stdout)["results"]
    )
