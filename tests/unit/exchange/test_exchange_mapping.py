from __future__ import annotations

from pathlib import Path

import pytest

from liandong.core.errors import ConfigError
from liandong.exchange.mapping import load_mappings
from liandong.exchange.messages import CategoryRef
from liandong.exchange.peers import load_peers

DEMO = Path(__file__).resolve().parents[3] / "src" / "liandong" / "cities" / "demo"


def test_demo_table_maps_both_reference_lists():
    table = load_mappings(DEMO / "exchange_mapping.yaml").for_peer("110")
    out = table.outgoing("jc-12345to110-007")
    assert (out.sender_code, out.receiver_code, out.unmapped, out.label) == ("jc-12345to110-007", "110-0107", False, "违法停车")
    back = table.incoming(CategoryRef(sender_code="110-9065"))
    assert (back.code, back.original, back.unmapped) == ("jc-110to12345-065", "110-9065", False)
    assert len(table.rows) == 22 + 157  # item 98 of the 110→12345 list is missing from the published text


def test_unknown_codes_travel_as_unmapped_keeping_the_original():
    table = load_mappings(DEMO / "exchange_mapping.yaml").for_peer("110")
    assert table.outgoing("jc-local-999") == CategoryRef(sender_code="jc-local-999", receiver_code=None, unmapped=True)
    back = table.incoming(CategoryRef(sender_code="110-7777", receiver_code=None, unmapped=True))
    assert (back.code, back.original, back.unmapped) == (None, "110-7777", True)
    assert load_mappings(DEMO / "exchange_mapping.yaml").for_peer("122").outgoing("x").unmapped


@pytest.mark.parametrize("text, line, words", [
    ("local_platform: '12345'\ntables:\n  - peer: '110'\n    rows:\n      - {ours: a-1, theirs: b-1}\n"
     "      - {ours: a-1, theirs: b-2}\n", 6, "我方编码 a-1 重复"),
    ("local_platform: '12345'\ntables:\n  - peer: '110'\n    rows:\n      - {ours: a-1, theirs: b-1}\n"
     "      - {ours: a-2, theirs: b-1}\n", 6, "对方编码 b-1 重复"),
    ("local_platform: '12345'\ntables:\n  - peer: '110'\n    rows:\n      - {ours: 'a 1', theirs: b-1}\n", 5, "ours 编码无效"),
    ("local_platform: '12345'\ntables:\n  - peer: '110'\n    rows:\n      - {ours: a-1, theirs: b-1, colour: red}\n",
     5, "未知字段"),
    ("local_platform: '12345'\ntables:\n  - peer: '110'\n    rows: [\n", None, "YAML 语法错误"),
])
def test_bad_tables_name_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "exchange_mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_mappings(path)
    assert err.value.path == str(path) and words in err.value.message
    if line:
        assert err.value.line == line and f"exchange_mapping.yaml:{line}:" in err.value.message


def test_peers_config_reads_secrets_from_env_and_file(tmp_path):
    (tmp_path / "s119").write_text("secret-from-file-0000000\n")
    path = tmp_path / "peers.yaml"
    path.write_text("local_platform: '12345'\npeers:\n"
                    "  - {platform: '110', url: 'http://127.0.0.1:8110/', key_id: k1, secret_env: S110,\n"
                    "     old_keys: [{key_id: k0, secret_env: S110_OLD}]}\n"
                    "  - {platform: '119', url: 'http://127.0.0.1:8119', key_id: k9, secret_file: s119}\n")
    cfg = load_peers(path, env={"S110": "secret-from-env-00000000", "S110_OLD": "old-secret-from-env-0000"})
    assert cfg.peer("110").messages_url == "http://127.0.0.1:8110/api/v1/exchange/messages"
    ring = cfg.keyring()
    assert ring.signing_key("110").key_id == "k1" and ring.lookup("110", "k0").secret == b"old-secret-from-env-0000"
    assert ring.signing_key("119").secret == b"secret-from-file-0000000"


def test_demo_peers_needs_its_secrets(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_peers(DEMO / "peers.yaml", env={})
    assert "LIANDONG_PEER_110_SECRET" in err.value.message and err.value.line == 4
    cfg = load_peers(DEMO / "peers.yaml", env={"LIANDONG_PEER_110_SECRET": "x" * 32, "LIANDONG_PEER_119_SECRET": "y" * 32})
    assert set(cfg.peers) == {"110", "119"}


def test_short_secret_and_bad_url_are_config_errors(tmp_path):
    path = tmp_path / "peers.yaml"
    path.write_text("local_platform: '12345'\npeers:\n  - {platform: '110', url: 'ftp://x', key_id: k1, secret_env: S}\n")
    with pytest.raises(ConfigError, match="url"):
        load_peers(path, env={"S": "x" * 32})
    path.write_text("local_platform: '12345'\npeers:\n  - {platform: '110', url: 'http://x', key_id: k1, secret_env: S}\n")
    with pytest.raises(ConfigError, match="太短"):
        load_peers(path, env={"S": "short"})
