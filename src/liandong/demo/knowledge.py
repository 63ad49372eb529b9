"""The demo knowledge base (演示知识库): 明川市's entries from `cities/demo/knowledge.yaml`, published."""

from __future__ import annotations

from pathlib import Path

from liandong.core.actors import Actor, Role
from liandong.core.yamlfile import LINE_KEY, load_yaml
from liandong.knowledge.rows import FIELDS
from liandong.knowledge.transfer import import_rows
from liandong.regions.registry import CITIES_DIR

LOADER = Actor("知识库导入", Role.KNOWLEDGE_ADMIN)


def yaml_rows(path: Path) -> list[tuple[str, int, dict]]:
    data = load_yaml(path)
    return [(path.name, e.get(LINE_KEY, 0), {FIELDS[k]: v for k, v in e.items() if k in FIELDS})
            for e in data["entries"]]


def load_demo_knowledge(ctx, path: Path | None = None) -> dict:
    """Import and publish the demo city's knowledge base into `ctx`'s database (all or nothing)."""
    path = path or CITIES_DIR / ctx.settings.city / "knowledge.yaml"
    with ctx.write() as session:
        return import_rows(ctx.knowledge, session, yaml_rows(path), actor=LOADER, now=ctx.clock.now(), publish=True)


def demo_index(city: str = "demo"):
    """The demo knowledge base as a search index, without a database (for the quality test and bench)."""
    from liandong.knowledge.rows import parse_rows
    from liandong.knowledge.search import IndexDoc, KnowledgeIndex
    from liandong.knowledge.service import city_dictionary, shared_segmenter
    from liandong.regions.registry import load_city

    registry = load_city(city)
    parsed, problems = parse_rows(yaml_rows(CITIES_DIR / city / "knowledge.yaml"))
    assert not problems, problems
    docs = [IndexDoc(r.entry_id, 1, r.content.question, r.content.answer, r.content.phrasings, r.content.keywords,
                     r.content.region, r.content.unit, r.content.visibility.value == "public", r.content.effective_from,
                     r.content.expires_on) for r in parsed]
    words = tuple(city_dictionary(registry))
    segmenter = shared_segmenter(words)
    segmenter.add(k for d in docs for k in d.keywords)
    return KnowledgeIndex(docs, segmenter, city_region=registry.city.code)


def caller_questions(city: str = "demo") -> list[str]:
    """What the demo's callers ask: the other phrasings (其他问法) of the city's public entries in force."""
    from datetime import date

    out = []
    for _, _, row in yaml_rows(CITIES_DIR / city / "knowledge.yaml"):
        expires = row.get("失效日期")
        if row.get("公开范围") != "public" or (expires and str(expires) < date.today().isoformat()):
            continue
        out += list(row.get("其他问法") or [])
    return out
