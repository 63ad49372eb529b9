"""The city's one mapping file serves both desks: the 110 desk reads it mirrored."""

from __future__ import annotations

from liandong.exchange.mapping import mappings_for
from liandong.exchange.messages import CategoryRef
from liandong.regions.registry import CITIES_DIR

FILE = CITIES_DIR / "demo" / "exchange_mapping.yaml"


def test_the_police_desk_maps_12345_codes_to_its_own():
    police = mappings_for(FILE, "110").for_peer("12345")
    got = police.incoming(CategoryRef(sender_code="jc-12345to110-007", receiver_code=None, unmapped=True))
    assert (got.code, got.unmapped) == ("110-0107", False)
    assert police.outgoing("110-9065").receiver_code == "jc-110to12345-065"


def test_the_12345_desk_reads_the_file_as_written_and_a_stranger_gets_no_table():
    assert mappings_for(FILE, "12345").for_peer("110").outgoing("jc-12345to110-007").receiver_code == "110-0107"
    assert mappings_for(FILE, "119").for_peer("12345").outgoing("x-1").unmapped


def test_routing_codes_travel_as_the_reference_list_codes_of_each_desk():
    from liandong.exchange.mapping import exchange_category, routing_code_aliases

    aliases = routing_code_aliases(FILE)
    gov, police = mappings_for(FILE, "12345").for_peer("110"), mappings_for(FILE, "110").for_peer("12345")
    assert exchange_category("JC-A21", aliases=aliases, table=gov) == "jc-12345to110-021"
    assert gov.outgoing(exchange_category("JC-A21", aliases=aliases, table=gov)).receiver_code == "110-0121"
    assert exchange_category("JC-B29", aliases=aliases, table=police) == "110-9029"  # the 110 desk's own code
    assert police.outgoing("110-9029").receiver_code == "jc-110to12345-029"
    assert exchange_category("test-1", aliases=aliases, table=gov) == "test-1"  # unknown: kept, sent unmapped
    assert exchange_category(None, aliases=aliases, table=gov) == "unclassified"
