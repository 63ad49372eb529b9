"""属地 at intake: without a region code the appeal is placed from the caller's words — its order goes to the
street office of the place, mass complaints about one spot are grouped, and the answer says why."""

from __future__ import annotations

from datetime import timedelta

CROSSROAD = ["人民路和东门大街路口的下水道冒水了，路上全是污水", "东门大街人民路口污水漫出来了，太臭了",
             "东门大街与人民路交叉口下水道堵了往外冒水", "人民路东门大街路口下水道反水，走路都过不去",
             "东门大街跟人民路那个路口污水横流", "我在人民路东门大街交叉口，下水道一直往外冒",
             "东门大街人民路十字路口下水道冒污水好久了", "人民路与东门大街路口的井盖往外冒脏水",
             "东门大街和人民路交口那里下水道漫水"]


def appeal(world, text: str, phone: str, **extra) -> dict:
    r = world.post("operator", "/appeals", {"channel": "phone", "text": text, "caller": {"phone": phone}, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def test_nine_callers_about_one_crossroads_without_a_region_code_form_one_mass_cluster(world):
    bodies = []
    for i, text in enumerate(CROSSROAD):
        bodies.append(appeal(world, text, f"1390000{i:04d}"))
        world.ctx.clock.advance(timedelta(minutes=2))
    assert {b["routing"]["place"]["region"] for b in bodies} == {"148802001"}
    assert "东门大街与人民路交叉口" in bodies[0]["routing"]["place"]["reason"]
    numbers = [b["orders"][0]["id"] for b in bodies]
    related = world.get("supervisor", f"/orders/{numbers[-1]}/related").json()
    # a cluster starts at the city's threshold of callers (3): from then on every call joins the first one
    threshold = world.ctx.related.policy.mass_min_callers
    assert related["lead_order"] == numbers[0]
    assert set(related["mass_members"]) == set(numbers[threshold - 1:])
    assert world.get("supervisor", f"/orders/{numbers[0]}").json()["region"] == "148802001"


def test_a_territorial_matter_goes_to_the_street_office_of_the_place_named(world):
    body = appeal(world, "锦秀家园3号楼楼上漏水到我家了", "13900001234")  # one character wrong: 锦绣家园
    assert body["routing"]["place"]["region"] == "148802001003"
    (order,) = body["orders"]
    assert order["unit"] == "ST-148802001"
    detail = world.get("admin", f"/orders/{order['id']}").json()
    assert detail["region"] == "148802001003" and detail["place"].endswith("东门幸福社区")


def test_an_operators_region_code_wins_over_the_words(world):
    body = appeal(world, "新华路上有人漏水", "13900005678", region="148803001001")
    assert body["routing"]["place"] is None
    assert body["orders"][0]["unit"] == "ST-148803001"


def test_an_unclear_place_is_not_guessed(world):
    body = appeal(world, "从新华路到滨江大道一路都在漏水", "13900009999")
    place = body["routing"]["place"]
    assert place["region"] is None and len(place["candidates"]) >= 2
    assert world.get("admin", f"/orders/{body['orders'][0]['id']}").json()["region"] is None
