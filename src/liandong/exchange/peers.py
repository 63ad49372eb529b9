"""Peers config (`peers.yaml`): who we talk to, where, and with which key.

    local_platform: "12345"
    peers:
      - platform: "110"
        url: http://127.0.0.1:8110        # base URL; messages go to {url}/api/v1/exchange/messages
        key_id: jc-2026-01
        secret_env: LIANDONG_PEER_110_SECRET   # or secret_file: /run/secrets/peer-110
        old_keys:                          # still accepted while the peer rotates (optional)
          - {key_id: jc-2025-02, secret_env: LIANDONG_PEER_110_OLD_SECRET}

Secrets never live in the YAML itself. A missing secret is a ConfigError naming file and line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from liandong.core.errors import ConfigError
from liandong.exchange import yamlio
from liandong.exchange.signing import Key, KeyRing

MESSAGES_PATH = "/api/v1/exchange/messages"
_PLATFORM = re.compile(r"^[0-9a-z_-]{1,32}$")


@dataclass(frozen=True)
class Peer:  # 对端平台
    platform: str
    url: str
    keys: tuple[Key, ...]

    @property
    def messages_url(self) -> str:
        return self.url.rstrip("/") + MESSAGES_PATH


@dataclass(frozen=True)
class PeersConfig:
    local_platform: str
    peers: dict[str, Peer] = field(default_factory=dict)

    def keyring(self) -> KeyRing:
        return KeyRing({p.platform: list(p.keys) for p in self.peers.values()})

    def peer(self, platform: str) -> Peer:
        return self.peers[platform]


def _secret(p: str, spec: dict, env: Mapping[str, str], base: Path) -> bytes:
    line = yamlio.line_of(spec)
    if "secret_env" in spec:
        value = env.get(str(spec["secret_env"]))
        if not value:
            raise ConfigError(p, f"环境变量 {spec['secret_env']} 未设置（对端密钥）", line=line)
        secret = value.encode()
    elif "secret_file" in spec:
        path = Path(str(spec["secret_file"]))
        path = path if path.is_absolute() else base / path
        try:
            secret = path.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(p, f"无法读取密钥文件 {path}：{exc.strerror}", line=line) from exc
    else:
        raise ConfigError(p, "需要 secret_env 或 secret_file（密钥不写在配置文件里）", line=line)
    if len(secret) < 16:
        raise ConfigError(p, "密钥太短（至少 16 字节）", line=line)
    return secret


def load_peers(path: str | Path, *, env: Mapping[str, str] | None = None) -> PeersConfig:
    p, env = str(path), os.environ if env is None else env
    data = yamlio.load(path)
    local = data.get("local_platform")
    if not isinstance(local, str) or not _PLATFORM.match(local):
        raise ConfigError(p, "local_platform 缺失或无效", line=yamlio.line_of(data))
    peers: dict[str, Peer] = {}
    for raw in data.get("peers") or []:
        line = yamlio.line_of(raw)
        if not isinstance(raw, dict):
            raise ConfigError(p, "peers 的每一项必须是映射", line=yamlio.line_of(data))
        unknown = set(raw) - {"platform", "url", "key_id", "secret_env", "secret_file", "old_keys", yamlio.LINE}
        if unknown:
            raise ConfigError(p, f"未知字段：{', '.join(sorted(unknown))}", line=line)
        platform, url, key_id = raw.get("platform"), raw.get("url"), raw.get("key_id")
        if not isinstance(platform, str) or not _PLATFORM.match(platform):
            raise ConfigError(p, f"platform 无效：{platform!r}", line=line)
        if platform in peers or platform == local:
            raise ConfigError(p, f"对端平台「{platform}」重复或与本方相同", line=line)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError(p, f"url 必须以 http:// 或 https:// 开头：{url!r}", line=line)
        if not isinstance(key_id, str) or not key_id:
            raise ConfigError(p, "缺少 key_id", line=line)
        keys = [Key(key_id, _secret(p, raw, env, Path(path).parent))]
        for old in raw.get("old_keys") or []:
            if not isinstance(old, dict) or not isinstance(old.get("key_id"), str):
                raise ConfigError(p, "old_keys 的每一项需要 key_id", line=line)
            keys.append(Key(old["key_id"], _secret(p, old, env, Path(path).parent)))
        peers[platform] = Peer(platform=platform, url=url, keys=tuple(keys))
    if not peers:
        raise ConfigError(p, "peers 不能为空", line=yamlio.line_of(data))
    return PeersConfig(local_platform=local, peers=peers)
