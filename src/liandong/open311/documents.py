"""Open311 GeoReport v2 documents (文档格式), JSON and XML, exactly as the published specification shows them.

    GET  services.{fmt}               [ {service_code, service_name, description, metadata, type, keywords, group} ]
                                      <services><service>…</service></services>
    GET  services/{code}.{fmt}        {service_code, attributes: […]}
                                      <service_definition><service_code/><attributes/></service_definition>
    POST requests.{fmt}, GET requests.{fmt}, GET requests/{id}.{fmt}, GET tokens/{token}.{fmt}
                                      [ {service_request_id, …} ]   <service_requests><request>…</request></service_requests>
    any refusal                       [ {code, description} ]       <errors><error><code/><description/></error></errors>

JSON lists are top-level arrays; XML starts with the declaration naming UTF-8. A `None` is JSON null and an
empty XML element; booleans are `true`/`false`. Pure: no HTTP, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

import orjson

FORMATS = ("json", "xml")
MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    """A refusal in the Open311 convention: an HTTP status and a description (中文)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


@dataclass(frozen=True)
class Document:  # 一份 Open311 文档
    root: str  # XML root element; JSON is a list (item ≠ None) or an object
    item: str | None  # XML element of each entry of a list document
    body: list[dict] | dict


def services(rows: list[dict]) -> Document:
    return Document("services", "service", rows)


def service_definition(definition: dict) -> Document:
    return Document("service_definition", None, definition)


def service_requests(rows: list[dict]) -> Document:
    return Document("service_requests", "request", rows)


def errors(status: int, description: str) -> Document:
    return Document("errors", "error", [{"code": status, "description": description}])


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "json":
        return orjson.dumps(doc.body)
    root = Element(doc.root)
    if doc.item is None:
        _fill(root, doc.body)
    else:
        for row in doc.body:
            _fill(SubElement(root, doc.item), row)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)


_LIST_ITEMS = {"attributes": "attribute", "values": "value"}


def _fill(parent: Element, fields: dict) -> None:
    for name, value in fields.items():
        child = SubElement(parent, name)
        if isinstance(value, list):
            for entry in value:
                _fill(SubElement(child, _LIST_ITEMS.get(name, "item")), entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def split_format(name: str) -> tuple[str, str]:
    """`requests.json` → ("requests", "json"); an unknown or missing format is refused (in JSON, as
    the client's format cannot be known)."""
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in FORMATS:
        raise Open311Error(400, f"不支持的格式「{fmt if dot else ''}」：请在路径末尾加 .json 或 .xml")
    return stem, fmt
