"""Helpers for portal tests: photos (with GPS EXIF), a verified phone through the real pages."""

from __future__ import annotations

import io
import re

from PIL import Image

from liandong.portal.adapters import MemorySms

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def jpeg_with_gps(size=(320, 240), colour="orange") -> bytes:
    img = Image.new("RGB", size, colour)
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (39.0, 54.0, 12.5), 3: "E", 4: (116.0, 23.0, 30.1)})
    exif[0x010F] = "TestCam"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def use_memory_sms(ctx) -> MemorySms:
    ctx.portal.sms = sms = MemorySms()
    return sms


def csrf(client, path="/portal/") -> str:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return CSRF.search(r.text).group(1)


def verify_phone(client, sms: MemorySms, phone: str) -> None:
    token = csrf(client, "/portal/verify")
    r = client.post("/portal/verify", data={"csrf": token, "phone": phone, "step": "send", "next": "/portal/report"})
    assert r.status_code == 200 and "验证码已发送" in r.text, r.text[:500]
    code = sms.last_code(phone)
    r = client.post("/portal/verify", data={"csrf": token, "phone": phone, "code": code, "step": "check",
                                            "next": "/portal/report"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]


def report(client, text="小区门口的路灯坏了，晚上一片漆黑", photos=(), **fields):
    token = csrf(client, "/portal/report")
    data = {"csrf": token, "text": text, "address": "幸福里小区", "consent": "1", **fields}
    files = [("photos", (name, body, mime)) for name, body, mime in photos] or None
    return client.post("/portal/report", data=data, files=files)
