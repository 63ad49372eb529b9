"""The standard data format (JSON Schema), the caller's identity, and the city's directory."""

from __future__ import annotations

from fastapi import APIRouter

from liandong.api.deps import Ctx, CurrentCaller
from liandong.core.actors import ROLE_LABELS
from liandong.core.errors import NotFound
from liandong.standard import SCHEMAS, json_schema

router = APIRouter(tags=["基础数据 meta"])


@router.get("/schemas", summary="标准数据格式清单")
def list_schemas(caller: CurrentCaller) -> dict:
    return {"schemas": sorted(SCHEMAS)}


@router.get("/schemas/{name}", summary="标准数据格式（JSON Schema）")
def get_schema(name: str, caller: CurrentCaller) -> dict:
    if name not in SCHEMAS:
        raise NotFound(f"没有名为「{name}」的数据格式，可选：{'、'.join(sorted(SCHEMAS))}")
    return json_schema(name)


@router.get("/me", summary="当前用户")
def whoami(caller: CurrentCaller) -> dict:
    a = caller.actor
    return {"name": a.name, "role": a.role.value, "role_label": ROLE_LABELS[a.role], "unit": a.unit,
            "region": a.region, "platform": caller.platform}


@router.get("/units", summary="承办单位目录")
def units(ctx: Ctx, caller: CurrentCaller) -> list[dict]:
    return [{"code": u.code, "name": u.name, "kind": u.kind.value, "region": u.region, "platform": u.platform,
             "functions": u.functions, "parent": u.parent} for u in ctx.city.city.units]


@router.get("/regions", summary="行政区划目录")
def regions(ctx: Ctx, caller: CurrentCaller) -> list[dict]:
    return [{"code": r.code, "name": r.name} for r in ctx.city.city.regions]
