"""Whether 12345 acts beside an emergency service (联动：部门是否同时处置), learned where the rules are not sure.

Once 110, 119 or 120 must act, 12345 joins when a department, utility or regulator must also act — the gas
company behind a leak, the lift's keeper, the river or slope office, the street that mediates a dispute (the
Tibet text's four joint emergencies, public-facility hazards). The rules say so only in some places and guess in
others: a list-B keyword beside a weak signal keeps 12345, a strong signal without a joint item drops it. On the
labelled calls these guesses were the commonest exact-set error (gold 110+12345 → 110, 12345 kept beside a
fight). So the learned detector's JOINT output (danger_model.py, trained only on calls that need an emergency
service) decides, except where a rule is sure:

- an item that claims an active signal and brings 12345 itself (the four joint emergencies, 群体性事件): 12345 stays;
- a composed pattern whose services include 12345 (slopes, dams, goods hoarded at home): 12345 stays;
- a list item reached by its own keyword whose services include an emergency service (list A, 12345→110: 110
  alone; 窨井盖: 110+12345): the item's own direction decides.
"""

from __future__ import annotations

from liandong.routing import danger_model

_EMERGENCY = frozenset({"110", "119", "120"})


def settled(item, kw: dict, index, active: list[str], composed) -> bool:
    """Whether a rule is sure whether 12345 acts beside the emergency service: an item claiming an active signal
    brings 12345 itself, a composed pattern brings it, or the item reached by its own keyword is an emergency one."""
    if any("12345" in it.services for s in active for it in index.claims.get(s, ())) or any("12345" in h.adds for h in composed):
        return True
    return item is not None and item.code in kw and bool(_EMERGENCY & set(item.services))


def learned_joint(services: set[str], danger: dict[str, float], is_settled: bool) -> str | None:
    """Change `services` in place by the JOINT probability; the operator's reason, or None when nothing changed.
    The thresholds are read from danger_model at each call (bench/danger_model.py --joint varies them)."""
    p = danger.get(danger_model.JOINT)
    if p is None or is_settled or not services & _EMERGENCY:
        return None
    if "12345" not in services and p >= danger_model.JOINT_ADD:
        services.add("12345")
        return (f"联动（模型研判）：按本市已标注来电训练的模型，除{'+'.join(sorted(services & _EMERGENCY))}外"
                f"需属地和部门同时处置（p={p:.2f}）：同步转办12345")
    if "12345" in services and p <= danger_model.JOINT_DROP:
        services.discard("12345")
        return f"联动（模型研判）：按本市已标注来电训练的模型，紧急服务可独立处置，无需部门同时处置（p={p:.2f}）：不另派12345"
    return None
