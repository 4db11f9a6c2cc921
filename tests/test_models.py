"""The committed spaCy pipelines load with spacy.load and match their sources."""

import filecmp

import pytest
import spacy

from pipeline import nlp
from conftest import REPO

MODELS = REPO / "models"


@pytest.mark.parametrize("lang", nlp.LANGS)
def test_committed_model_loads_with_our_components(lang):
    from pipeline.nlp import registry

    registry.import_components()
    pipe = spacy.load(MODELS / lang)
    assert pipe.lang == lang
    assert pipe.pipe_names == list(registry.COMPONENT_MODULES)


def _differences(a, b, where=""):
    cmp = filecmp.dircmp(a, b)
    out = [f"{where}{n}" for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files]
    for name, sub in cmp.subdirs.items():
        out += _differences(sub.left, sub.right, f"{where}{name}/")
    return out


def test_committed_models_are_built_from_the_current_sources(tmp_path):
    nlp.build_all(tmp_path)
    stale = _differences(MODELS, tmp_path)
    assert not stale, f"models/ is out of date, run `agreements build-models`: {stale}"


def test_components_find_facts_in_a_loaded_model():
    import datetime

    pipe = nlp.load("da")
    doc = pipe.make_doc("Aarhus Kommune giver Kvindehuset i Aarhus et tilskud på 2,5 mio. kr. om året fra 1. januar 2026.")
    doc._.context = {"lang": "da", "country": "DK", "published": datetime.date(2025, 11, 1)}
    for _, proc in pipe.pipeline:
        doc = proc(doc)
    assert [s._.value["value"] for s in doc.spans["money"]] == [2500000]
    assert [s._.value for s in doc.spans["date"]] == ["2026-01-01"]
    assert "Aarhus Kommune" in {s._.value["name"] for s in doc.spans["org"]}
