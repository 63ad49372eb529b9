from datetime import datetime

from liandong.supervision.first_orders import FirstOrder, FirstOrders

AT = datetime(2026, 11, 23, 10, 0)


def order(id_, appeal, lead=None):
    return FirstOrder(id_, appeal, f"GD-{id_}", True, AT, lead)


def test_the_lowest_id_of_each_appeal_is_kept_and_satisfied_is_not():
    kept = FirstOrders()
    kept.remember([order(7, "a"), order(5, "a", lead="GD-1"), order(9, "b")])
    kept.remember([order(6, "a")])  # a later read of the same appeal cannot replace its first order
    found = kept.known(["a", "b", "c"])
    assert set(found) == {"a", "b"} and found["a"].number == "GD-5" and found["a"].lead_order == "GD-1"
    assert found["a"].satisfied is None


def test_it_stays_bounded_and_drops_the_oldest_first():
    kept = FirstOrders(limit=100)
    kept.remember([order(i, f"a{i}") for i in range(150)])
    assert len(kept) <= 100
    assert "a149" in kept.known(["a149"]) and not kept.known(["a0"])
