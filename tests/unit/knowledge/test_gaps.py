from liandong.knowledge.gaps import GapItem, cluster


def _item(n, text, category="社会保险类"):
    return GapItem(f"O{n}", text, category, "human_resources_social_security", "no_entry")


def test_similar_questions_of_one_category_cluster_and_singletons_wait():
    items = [_item(1, "社保断缴了怎么补缴"), _item(2, "社保断了三个月能补缴吗"), _item(3, "社保断缴怎么补"),
             _item(4, "公园几点关门", "文旅管理类"), _item(5, "社保断缴补缴", "文旅管理类")]
    found = cluster(items)
    assert [[i.order for i in c.items] for c in found] == [["O1", "O2", "O3"]]
    assert found[0].question == "社保断缴了怎么补缴" and found[0].unit_function == "human_resources_social_security"
