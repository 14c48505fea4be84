import io
import subprocess
import sys

from bot.features.digest.report import print_report
from bot.store import Store


def test_report(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.record_vote("klage", "", "up", "personal")
    store.record_vote("akutt-hjelp", "", "down", "personal")
    store.record_unanswered("hva er lunsjmenyen", ("klage",), False, "personal")
    out = io.StringIO()
    print_report(store, out)
    text = out.getvalue()
    assert text.index("akutt-hjelp") < text.index("klage")
    assert "hva er lunsjmenyen" in text and "nærmest: klage" in text


def test_report_command(tmp_path):
    env = {"DATA_DIR": str(tmp_path / "data"), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "report"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "ingen ennå" in done.stdout
    assert (tmp_path / "data" / "rutinebot.db").exists()
