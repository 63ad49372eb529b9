"""The phrase bank (话术库) of the demo appeal generator.

Each `Matter` (诉求事项) is one kind of thing a caller rings about, with the reference-list
items it illustrates (`refs`: Jincheng ids "A7"/"B122", Tibet categories "T:公共设施类",
see `reference.py`), the scenario kind, our best judgement of the services that act on it
(for summaries, not ground truth), where it happens and a few ways callers say it.

Texts are written the way an operator types a call: colloquial (口语), 语气词, a few typos
added later by the generator. Placeholders, filled by `appeals.py`:
  {estate} 小区名  {road} {road2} 路名  {village} 村/野外地名  {place} estate-or-road
  {n} 2..9  {days} 两/三/好几  {money} 金额  {shop} 商店  {venue} 办卡的店  {gym} 健身房  {company} 单位名  {month} 月份
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KINDS = ("routine", "police", "emergency", "refer")
WHERES = ("home", "road", "rural", "any")
WHENS = ("day", "night", "any")
MAX_LEN = 120  # characters of an appeal text
MIN_LEN = 10


@dataclass(frozen=True)
class Matter:  # 诉求事项
    key: str
    refs: tuple[str, ...]
    kind: str  # routine (12345 business) / police / emergency / refer
    services: tuple[str, ...]  # among 110 119 120 12345; empty: refer elsewhere
    where: str  # home (a 小区) / road / rural / any
    texts: tuple[str, ...]
    weight: float = 1.0
    when: str = "day"  # hour profile: day (office hours peak) / night / any


def _m(key: str, refs: str, kind: str, services: str, where: str, *texts: str, w: float = 1.0, when: str = "day") -> Matter:
    return Matter(key, tuple(refs.split()), kind, tuple(services.split()), where, texts, w, when)


# ---------------------------------------------------------------- 12345 business (非警务诉求)
ROUTINE: tuple[Matter, ...] = (
    # 政务信息咨询 B1
    _m("consult_medins_offsite", "B1 B16 T:民生保障类", "routine", "12345", "any",
       "我想问一下啊，医保异地报销要带哪些材料，我妈在外地住院了", "你好，我问下在外地看病医保能不能直接结算，要先备案是吧", w=2),
    _m("consult_id_card", "B1 T:其他求助类", "routine", "12345", "any",
       "身份证丢了补办要去哪儿办呀，要不要带户口本", "问一下孩子办身份证要不要预约，周六上班不", w=1.5),
    _m("consult_housing_fund", "B1 T:民生保障类", "routine", "12345", "any",
       "我想咨询一下公积金提取，租房的能提吗，要啥手续", "公积金贷款额度咋算的啊，我跟我爱人都交了"),
    _m("consult_hukou", "B1 T:其他求助类", "routine", "12345", "any",
       "我想把户口迁到{estate}这边，买的二手房，需要啥材料呢", "孩子上户口要出生证明是吧，我们是非婚生的能上吗"),
    _m("consult_license", "B1 T:市场监管类", "routine", "12345", "any",
       "开个小饭馆要办哪些证啊，营业执照跟食品经营许可是一起办吗", "个体户营业执照注销在网上能办不"),
    _m("consult_retire", "B1 B15 T:民生保障类", "routine", "12345", "any",
       "我下个月到退休年龄了，退休手续是单位办还是自己去社保局办", "问一下灵活就业交社保，交满十五年能领多少"),
    _m("consult_kindergarten", "B1 B21 T:教育类", "routine", "12345", "any",
       "问一下，二孩的育儿补贴咋申请，在哪个窗口", "孩子明年上小学，学区是按户口还是按房产啊"),
    # 卫生医疗 B2-B5
    _m("disease_control", "B2 T:卫生健康类", "routine", "12345", "home",
       "我们{estate}好几家小孩都出水痘了，幼儿园也不停课，能不能来消消毒", "{estate}那边有人养鸽子，楼下全是鸽子屎，会不会传病啊"),
    _m("epidemic_event", "B3 T:卫生健康类", "routine", "12345", "any",
       "我们单位食堂中午吃完饭好多人拉肚子，有十几个了，是不是食物中毒啊，现在都没啥大事了", "听说{estate}有人得了诺如病毒，学校里传开了，要不要报告一下"),
    _m("health_supervision", "B4 T:卫生健康类", "routine", "12345", "road",
       "{road}那家美容院在给人打针，也不知道有没有资质，我朋友打完脸肿了", "{road}有个诊所没挂牌子，一个人给人输液，也没看到证"),
    _m("health_other", "B5 T:卫生健康类", "routine", "12345", "any",
       "我想反映一下，社区医院打疫苗的地方老是排不上号，一等一上午", "家庭医生签约了一年，一次都没见过人，这个谁管啊"),
    # 电力 B6-B11
    _m("power_outage", "B6 T:公共设施类", "routine", "12345", "home",
       "我们{estate}{n}栋停电了，从早上到现在，也没说啥时候来电", "又停电了！{estate}这个月都第三回了，冰箱里东西都坏了", "家里突然没电了，看了下邻居家也没电，是不是线路有问题啊", w=3),
    _m("power_box", "B7 T:公共设施类", "routine", "12345", "home",
       "{estate}楼下那个配电箱门开着，里面电线露着，小孩老去扒拉，怕出事", "小区配电箱冒火花了，噼里啪啦响，现在不响了，也没人来看"),
    _m("transformer", "B8 T:公共设施类", "routine", "12345", "road",
       "{road}边上那个变压器嗡嗡响了一晚上了，还有股焦糊味儿", "变压器刚才砰一声，然后一片都没电了，在{road}这边"),
    _m("cable_down", "B9 B36 T:公共设施类", "routine", "12345", "road",
       "{road}有根电线耷拉下来了，挂得很低，人走过去都能碰到", "昨晚刮风把{road}的电线刮断了，垂在树上，不知道有电没电"),
    _m("power_other", "B11 T:公共设施类", "routine", "12345", "home",
       "我们这电压老是不稳，晚上灯一闪一闪的，空调都开不起来", "电费咋突然多了一倍，我这个月也没在家住，表是不是有问题"),
    # 通信 B12-B14
    _m("telecom_pole", "B12 T:公共设施类", "routine", "12345", "road",
       "{road}有根通讯杆子歪了，斜着靠在墙上，上面还挂着好多线", "大风把{road}那个电信杆子刮倒了，压在路边绿化带上"),
    _m("telecom_other", "B14 T:公共设施类", "routine", "12345", "home",
       "我们{estate}光纤被施工挖断了，整栋楼没网好几天了", "楼道里那些网线乱七八糟的，谁家的都有，跟蜘蛛网似的"),
    # 社会保险 B15-B18
    _m("pension_ins", "B15 T:民生保障类", "routine", "12345", "any",
       "我爸的养老金这个月咋没到账，以前都是五号就发了", "我交了十几年养老保险，中间换了单位断了两年，能补交吗"),
    _m("medical_ins", "B16 T:民生保障类", "routine", "12345", "any",
       "住院报销比例咋这么低，我在医院花了三万多只报了一点点", "医保卡在药店刷不了，说是冻结了，我啥也没干啊"),
    _m("injury_ins", "B17 T:民生保障类", "routine", "12345", "any",
       "我去年在厂里摔伤了，工伤认定到现在都没下来", "工伤保险报销的钱公司扣着不给我，说要等我离职再说"),
    _m("unemploy_ins", "B18 T:民生保障类", "routine", "12345", "any",
       "我被裁员了，失业金在哪领啊，网上申请一直提示不符合", "失业保险金领了三个月突然停了，也没人通知我"),
    # 民政 B19-B24
    _m("social_aid", "B19 T:民生保障类", "routine", "12345", "any",
       "我家老头瘫在床上，我也没工作，能不能申请低保啊", "低保被取消了，说我家有车，那车是我儿子的，早分户了"),
    _m("elderly_care", "B20 T:民生保障类", "routine", "12345", "home",
       "{estate}那个日间照料中心一直锁着门，老人想去也去不了", "我想给我妈找个养老院，公办的排队要排多久啊"),
    _m("child_welfare", "B21 T:民生保障类", "routine", "12345", "home",
       "楼下有个小孩，爸妈都不在身边，跟着奶奶过，奶奶也病了，能不能帮帮", "孤儿的生活补贴今年咋还没发"),
    _m("disabled_welfare", "B22 T:民生保障类", "routine", "12345", "any",
       "我是残疾人，两项补贴申请了半年了还没批下来", "我孩子是智力残疾，残疾证到期了，换证要去哪"),
    _m("vagrant", "B23 T:民生保障类", "routine", "12345", "road",
       "{road}桥洞底下睡着一个流浪的，天冷了，穿得很少，能不能管一下", "有个精神不太正常的女的在{road}一带转悠好几天了，嘴里一直念叨"),
    _m("civil_other", "B24 T:民生保障类", "routine", "12345", "any",
       "我们想办结婚登记，节假日能不能办啊", "殡葬补贴咋申请，老人上个月走了"),
    # 环保 B25-B28
    _m("water_pollution", "B25 T:环境保护类", "routine", "12345", "rural",
       "{village}那条河水发黑发臭，上游有个厂子往里头排东西", "河里的鱼死了一片，白花花漂着，水也变绿了"),
    _m("air_pollution", "B26 T:环境保护类", "routine", "12345", "road",
       "{road}那边有个厂晚上偷偷冒黑烟，呛得人嗓子疼", "有人在{road}空地上烧垃圾烧塑料，味道太大了窗户都不敢开"),
    _m("factory_noise", "B27 T:环境保护类", "routine", "12345", "road",
       "{road}那个加工厂机器二十四小时轰轰响，晚上根本睡不着", "厂里的冷却塔太吵了，我们住对面，夜里都是嗡嗡声", when="night"),
    _m("eco_other", "B28 T:环境保护类", "routine", "12345", "road",
       "{road}有家洗车店把污水直接往雨水井里冲", "我们这有个小作坊做喷漆，没啥防护，一股油漆味"),
    # 水气热 B29-B32
    _m("water_outage", "B29 T:公共设施类", "routine", "12345", "home",
       "{estate}停水了，也没提前通知，饭都做不了", "我们家水龙头出来的水是黄的，还有沙子，能喝吗", "水管爆了，{estate}门口路上哗哗冒水，冒了一上午了", w=3),
    _m("gas_repair", "B30 T:公共设施类", "routine", "12345", "home",
       "燃气表坏了，充了钱不走字儿，做不了饭", "天然气点火老是打不着，燃气公司电话打不通"),
    _m("heating", "B31 T:公共设施类", "routine", "12345", "home",
       "暖气不热，屋里才十三四度，老人孩子都冻感冒了", "{estate}暖气管子漏水了，楼道里全是热水汽", w=2),
    _m("sewage", "B32 B70 T:市容环境类", "routine", "12345", "home",
       "下水道堵了，{estate}楼下污水漫出来了，臭得不行", "{road}一下雨就积水，水没过膝盖，车都熄火好几辆了"),
    # 公共设施 B33-B41
    _m("street_light", "B34 T:公共设施类", "routine", "12345", "road",
       "{road}的路灯坏了一排，晚上黑灯瞎火的，走路都怕", "路灯不亮，就{road}靠近{road2}那一段，一个多礼拜了", w=2, when="any"),
    _m("hydrant", "B35 T:公共设施类", "routine", "12345", "road",
       "{road}的消防栓被车撞了，一直在往外滋水", "小区里消防栓都是坏的，拧不开，真着火了咋办"),
    _m("bridge", "B37 T:公共设施类", "routine", "12345", "road",
       "{road}那座桥的栏杆断了一截，底下就是河，太危险了", "人行天桥台阶裂了好大个口子，老人上下不方便"),
    _m("pothole", "B38 T:公共设施类", "routine", "12345", "road",
       "{road}有个大坑，下雨看不见，好几个骑电动车的摔了", "路面坑坑洼洼的，{road}修了挖挖了修，啥时候能弄好啊", w=1.5),
    _m("road_ice", "B39 T:公共设施类", "routine", "12345", "road",
       "{road}那个坡结冰了，车都上不去，早上摔了好几个人，能不能撒点盐", "下雪两天了，{road}人行道上的冰还没人铲"),
    _m("wall_collapse", "B40 T:公共设施类", "routine", "12345", "home",
       "{estate}后面那堵围墙塌了一段，幸好没砸着人", "小区围墙裂了好宽的缝，往外歪着，看着随时要倒"),
    _m("facility_other", "B41 T:公共设施类", "routine", "12345", "road",
       "{road}公交站的座椅坏了，棚子也漏雨", "公园里的健身器材坏了好几个，螺丝都松了，小孩玩危险"),
    # 林水 B42-B50
    _m("forest_damage", "B42 T:其他事件类", "routine", "12345", "rural",
       "{village}后山有人在偷偷砍树，一车一车往外拉", "山上有人挖树，挖的都是大树，说是卖给城里绿化的"),
    _m("wildlife", "B43 T:野生动物类", "routine", "12345", "rural",
       "我们院子里飞进来一只大鸟，受伤了，好像是保护动物，咋处理", "{village}有人下夹子套野鸡，还抓了只像是穿山甲的"),
    _m("wildlife_market", "B43 T:野生动物类", "routine", "12345", "road",
       "{road}菜市场有人在卖野生的斑鸠，还有刺猬", "有只猴子跑到{estate}里了，不知道哪来的，在楼顶上蹦"),
    _m("forest_fire_prevention", "B44 T:其他事件类", "routine", "12345", "rural",
       "清明了，{village}山上好多人上坟烧纸放炮，这么干不怕着火啊", "有人在林子边上烧荒，烟挺大，现在是灭了，可老这样不行"),
    _m("forest_pest", "B45 T:园林绿化类", "routine", "12345", "rural",
       "{village}林子里的松树一片一片发红死掉了，是不是有虫", "山上杨树全是虫子，叶子都吃光了，还往村里爬"),
    _m("water_facility", "B46 T:公共设施类", "routine", "12345", "rural",
       "{village}那个水渠的闸门坏了，关不上，地里都淹了", "水库边上的护栏没了，钓鱼的人都站在边上"),
    _m("water_resource", "B47 T:其他事件类", "routine", "12345", "rural",
       "有个厂子私自打井抽地下水，我们村的井都快干了", "{village}有人偷着从河里抽水浇地，下游都没水了"),
    _m("water_inspection", "B48 T:其他事件类", "routine", "12345", "rural",
       "{village}河道里有人挖沙，晚上挖，挖得河堤都塌了", "河道里有人倒建筑垃圾，都快把河堵上了"),
    _m("flood_drought", "B49 T:突发事件类", "routine", "12345", "rural",
       "这雨下得，{village}河水涨得快漫到路上了，堤坝要不要加固一下", "旱了两个月了，村里人畜吃水都困难了，能不能送点水"),
    _m("water_other", "B50 T:其他事件类", "routine", "12345", "rural",
       "水库边有人在游泳，还带着小孩，出了事谁负责啊", "村里的自来水一股泥味，是不是水源出问题了"),
    # 防震减灾 B51
    _m("quake_vibration", "B51 T:突发事件类", "routine", "12345", "any",
       "刚才感觉楼晃了一下，是不是地震了啊，没人受伤，就想问问", "{road}那边工地打桩，震得我们家墙都裂了缝，是不是跟震动有关"),
    # 市场监管 B52-B57
    _m("counterfeit", "B52 T:市场监管类", "routine", "12345", "road",
       "我在{shop}买的酒是假的，喝着不对，瓶盖也不一样", "{road}那家店卖的化肥是假的，种下去庄稼全蔫了"),
    _m("unlicensed", "B53 T:市场监管类", "routine", "12345", "home",
       "{estate}一楼有人开了个小作坊做馒头，啥证都没有，卫生也差", "楼下开了个无证的小诊所，天天有人进进出出"),
    _m("illegal_taxi", "B54 T:市场监管类", "routine", "12345", "road",
       "火车站那边黑车拉客，一口价一百，不打表", "{road}有私家车专门跑县城，一天好几趟，拉客的"),
    _m("rights_violation", "B55 T:市场监管类", "routine", "12345", "any",
       "{venue}办卡的时候说能随时退，现在要退钱就不认账了", "手机店把我的新手机换成翻新机了，我才发现"),
    _m("elevator", "B56 T:公共设施类", "routine", "12345", "home",
       "{estate}{n}栋电梯又坏了，我家住十八楼，老人下不了楼", "电梯老是突然往下掉一截，吓死人了，物业说没事", w=2),
    _m("market_other", "B57 T:市场监管类", "routine", "12345", "road",
       "菜市场那家卖肉的秤有问题，一斤少二两", "{road}那个超市卖过期的牛奶，日期都改过"),
    # 文广 B58-B64
    _m("broadcast_facility", "B58 T:文化新闻类", "routine", "12345", "home",
       "我们{estate}的有线电视没信号了，好几天了", "村里的大喇叭坏了，通知啥都听不见"),
    _m("bad_signal", "B59 T:文化新闻类", "routine", "12345", "any",
       "电视上老是插播卖药的广告，说能治百病，骗老人的", "晚上收音机收到一个台，一直在放乱七八糟的东西"),
    _m("pirated_media", "B60 T:文化新闻类", "routine", "12345", "road",
       "{road}夜市上有人卖盗版光盘，一摊一摊的", "有个网店卖盗版的网课资料，我买了才发现"),
    _m("illegal_publication", "B61 T:文化新闻类", "routine", "12345", "road",
       "{road}书摊上卖的那些书内容不太对劲，乱七八糟的", "学校门口有人发宣传册，内容有点邪乎"),
    _m("internet_cafe", "B62 T:文化新闻类", "routine", "12345", "road",
       "{road}那家网吧让未成年人进去上网，一待就是一晚上", "网吧里全是抽烟的，还有小孩在里面"),
    _m("performance", "B63 T:文化新闻类", "routine", "12345", "road",
       "{road}广场上有人搞演出，放得震天响，内容也低俗", "商场门口的演出搞到半夜，还收门票，不知道有没有审批"),
    _m("culture_other", "B64 T:文化新闻类", "routine", "12345", "any",
       "图书馆周一闭馆能不能改改，上班族就周一休息", "文化馆的免费培训班报名一直报不上"),
    # 城市管理 B65-B74
    _m("garbage", "B65 T:市容环境类", "routine", "12345", "home",
       "{estate}的垃圾好几天没人拉了，堆得跟小山一样，苍蝇嗡嗡的", "垃圾桶满了没人倒，都溢到路上了", w=2),
    _m("street_clean", "B66 T:市容环境类", "routine", "12345", "road",
       "{road}上全是落叶和塑料袋，好几天没扫了", "环卫车洒水不看人，把我一身都弄湿了"),
    _m("cooking_fume", "B67 T:市容环境类", "routine", "12345", "home",
       "楼下饭店的油烟直接往我们家窗户里灌，衣服都不敢晒", "{estate}底商烧烤店油烟太大了，排烟管就对着居民楼", w=2, when="any"),
    _m("light_pollution", "B68 T:市容环境类", "routine", "12345", "home",
       "对面楼顶那个大广告牌晚上亮得跟白天一样，照得屋里睡不着", "{road}商场外墙的灯闪了一整夜，太刺眼了", when="night"),
    _m("construction_noise", "B69 T:施工管理类", "routine", "12345", "home",
       "{estate}旁边工地晚上十一点了还在打桩，咣咣的，孩子明天还要考试", "都半夜了还在施工，搅拌车一辆接一辆，让不让人睡了", w=2, when="night"),
    _m("illegal_building", "B71 T:市容环境类", "routine", "12345", "home",
       "{estate}顶楼那家在楼顶上搭了个彩钢房，还在往上加", "一楼住户把院子扩出去了，占了公共绿地"),
    _m("illegal_stall", "B72 T:市容环境类", "routine", "12345", "road",
       "{road}早上一堆卖菜的摆摊，把路都占了，车过不去", "学校门口那些炸串摊子，乌烟瘴气的"),
    _m("occupy_road", "B73 T:市容环境类", "routine", "12345", "road",
       "{road}那几家店把货全摆人行道上了，人只能走马路", "{shop}在门口支桌子做生意，盲道都给占了", w=1.5),
    _m("urban_other", "B74 T:市容环境类", "routine", "12345", "road",
       "{road}墙上贴满了小广告，刚刷的墙又给糊上了", "共享单车堆在{road}地铁口，乱七八糟，人都走不过去"),
    # 施工管理 B75-B79
    _m("site_dust", "B75 T:施工管理类", "routine", "12345", "road",
       "{road}那个工地也不盖网，一刮风灰土满天飞", "渣土车拉土不盖布，一路撒，{road}上全是泥"),
    _m("construction_disturb", "B76 T:施工管理类", "routine", "12345", "home",
       "楼上装修天天电钻，中午也不停，我家有刚出生的孩子", "{estate}改造工程把楼道堵了，也没人打招呼"),
    _m("illegal_dig", "B77 T:施工管理类", "routine", "12345", "road",
       "{road}人行道被挖开了也不围挡，晚上黑，有人掉进去了，人没事", "有人在{road}私自挖路埋管子，挖完就不管了"),
    _m("house_damaged", "B78 T:施工管理类", "routine", "12345", "home",
       "旁边工地挖地基，把我们{estate}楼都挖裂了，墙上好长的缝", "隔壁拆房子把我家屋顶砸坏了一块，找他们不认"),
    _m("construction_other", "B79 T:施工管理类", "routine", "12345", "road",
       "{road}那个工地门口也没挂牌子，不知道是干啥的", "工地塔吊就在我们头顶上转，吊着东西从学校上面过"),
    # 农林绿化 B80-B85
    _m("greening_care", "B80 T:园林绿化类", "routine", "12345", "road",
       "{road}绿化带里的草半人高了，也没人修", "小区里的树长得挡住窗户了，屋里一点阳光都没有，能不能修剪下"),
    _m("animal_plant_epidemic", "B81 T:野生动物类", "routine", "12345", "rural",
       "{village}有几户人家的鸡一下子死了好多，会不会是禽流感", "村里有头猪死了扔河边了，也没人处理"),
    _m("green_damage", "B82 T:园林绿化类", "routine", "12345", "home",
       "{estate}有人把绿化带铲了种菜，还浇粪", "有人把路边的树皮剥了一圈，树都要死了"),
    _m("tree_down", "B83 T:园林绿化类", "routine", "12345", "road",
       "{road}一棵大树被风刮倒了，横在人行道上，幸好没砸着人", "小区里那棵老树歪了，靠着楼，刮风就晃"),
    _m("pest_control", "B84 T:园林绿化类", "routine", "12345", "home",
       "{estate}老鼠太多了，大白天的满地跑", "楼道里好多蟑螂，地下室还有马蜂窝"),
    _m("green_other", "B85 T:园林绿化类", "routine", "12345", "road",
       "{road}杨絮太多了，满天飞，过敏的人受不了", "公园里的花坛被踩得不成样子了"),
    # 文旅 B86-B89
    _m("heritage", "B86 T:文化新闻类", "routine", "12345", "rural",
       "{village}那座老庙的墙被人拆了砖拿去盖猪圈了，那是文物吧", "有人在古城墙上乱刻字"),
    _m("tourism_complaint", "B87 T:消费纠纷类", "routine", "12345", "any",
       "跟团去玩，导游带着进购物店不买不让走", "景区门票说好的免费，进去了每个景点又收钱"),
    _m("tourism_market", "B88 T:消费纠纷类", "routine", "12345", "road",
       "景区门口的饭店菜价没标，吃完要了八百多", "{road}那个民宿没营业执照，还在网上接单"),
    _m("tourism_other", "B89 T:其他求助类", "routine", "12345", "any",
       "节假日景区能不能延长开放时间", "你们这有没有旅游咨询的电话，想问问路线"),
    # 行政执法 B90-B91
    _m("illegal_fishing", "B90 T:其他事件类", "routine", "12345", "rural",
       "{village}水库边上挂着禁钓的牌子，天天一排人在钓鱼", "有人在公园湖里钓鱼，还用好几根竿"),
    _m("illegal_discharge", "B91 T:环境保护类", "routine", "12345", "road",
       "{road}那个养殖场的粪水直接排到沟里，整条沟都是黑的", "有个厂子半夜偷偷往下水道里排废水，味儿刺鼻", when="any"),
    # 司法 B92-B97
    _m("law_promo", "B92 T:其他求助类", "routine", "12345", "home",
       "我们{estate}想请人来讲讲防诈骗和法律知识，找谁联系", "社区能不能组织普法讲座，老人都不懂"),
    _m("lawyer_notary", "B93 T:其他事件类", "routine", "12345", "any",
       "我找的律师收了钱就不管事了，电话也不接", "公证处办个继承公证让跑了五趟，每次说缺不一样的材料"),
    _m("legal_aid", "B94 T:其他求助类", "routine", "12345", "any",
       "我没钱请律师，法律援助咋申请啊", "申请了法律援助，派的律师一次都没见过我"),
    _m("mediation", "B95 T:矛盾纠纷类", "routine", "12345", "home",
       "我跟邻居为了院子那点地吵了好几年了，想找人调解一下", "社区矫正的人天天在{estate}里喝酒骂人，没人管吗"),
    _m("forensic", "B96 T:其他事件类", "routine", "12345", "any",
       "伤情鉴定做了三个月还没出结果，鉴定所说在排队", "我对司法鉴定的结果不服，去哪投诉"),
    _m("justice_other", "B97 T:其他求助类", "routine", "12345", "any",
       "我想立个遗嘱，有没有免费的地方能帮着写", "人民调解协议签了，对方不履行咋办"),
    # 邻里纠纷 B98-B106
    _m("neighbour_noise", "B98 T:矛盾纠纷类", "routine", "12345", "home",
       "楼上天天半夜拍球蹦跶，找他说了也不听", "对门养了条狗从早叫到晚，白天晚上都叫", w=2, when="night"),
    _m("neighbour_building", "B99 T:矛盾纠纷类", "routine", "12345", "home",
       "邻居盖房子比我家高出一层，挡了我家的光还往我家滴水", "隔壁加盖的房子墙压到我家地基上了"),
    _m("neighbour_land", "B100 T:矛盾纠纷类", "routine", "12345", "rural",
       "隔壁把界桩挪了，多占了我家两米宅基地", "邻居在我家地头上修了条路，说是老辈留下的"),
    _m("neighbour_decor", "B101 T:矛盾纠纷类", "routine", "12345", "home",
       "楼上装修把承重墙给砸了，我家天花板都裂了", "邻居装修把空调外机装在我家窗户外头"),
    _m("neighbour_garbage", "B103 T:矛盾纠纷类", "routine", "12345", "home",
       "对门天天把垃圾堆楼道里，臭得不行，说了还骂人", "邻居在楼道里养了一堆鸡，屎尿满地"),
    _m("neighbour_light", "B104 T:矛盾纠纷类", "routine", "12345", "home",
       "前面那家在院里搭了个棚子，挡了我们家的采光", "楼下把烟道接到我家窗户底下了，油烟全往我家飘"),
    _m("neighbour_history", "B105 T:矛盾纠纷类", "routine", "12345", "home",
       "我们这个房子是老单位分的，几十年了房本一直办不下来", "{estate}是厂里的老宿舍，厂子倒闭了，楼没人管"),
    _m("neighbour_other", "B106 T:矛盾纠纷类", "routine", "12345", "home",
       "邻居在楼道里装了个摄像头正对着我家门", "楼下老往我家阳台上扔烟头，都烧了个洞了"),
    # 经济调节 B107-B115
    _m("debt", "B107 T:经济纠纷类", "routine", "12345", "any",
       "朋友借了我{money}块钱，借条也打了，现在人找不着了", "我借给亲戚的钱要不回来，能不能帮着调解调解"),
    _m("contract", "B108 T:经济纠纷类", "routine", "12345", "any",
       "装修公司合同签了，钱交了一半，活干一半跑了", "我跟{company}签了合同，他们不按合同给货"),
    _m("project_payment", "B109 T:经济纠纷类", "routine", "12345", "any",
       "我给{company}干的工程，{money}块工程款拖了两年了", "包工头说开发商不给钱，他也没钱，我们的钱到底找谁要"),
    _m("ownership_econ", "B110 T:经济纠纷类", "routine", "12345", "any",
       "我跟前夫的房子离婚时候说好的归我，现在他要卖", "车是我出钱买的，登记在朋友名下，现在他不还"),
    _m("lease", "B111 T:经济纠纷类", "routine", "12345", "home",
       "房东不退押金，说我把墙弄脏了，就一点点印子", "租的房子漏水，房东不修还要涨房租", w=1.5),
    _m("loan", "B112 T:经济纠纷类", "routine", "12345", "any",
       "网贷公司天天给我家里人打电话催收，连我单位都打了", "银行贷款我提前还了，还收了我一笔违约金"),
    _m("compensation", "B113 T:经济纠纷类", "routine", "12345", "any",
       "我的车停在{estate}被树砸了，物业不赔", "在商场摔了一跤骨折了，商场说地滑不关他们的事"),
    _m("freight", "B114 T:经济纠纷类", "routine", "12345", "any",
       "我拉了一车货，货主收了货不给运费，{money}块", "物流公司把我的货丢了，只赔运费"),
    _m("econ_other", "B115 T:经济纠纷类", "routine", "12345", "any",
       "我在{company}交了{money}块加盟费，说好的培训一直没有", "合伙做生意，他把账上的钱都转走了"),
    # 消费纠纷 B116-B120
    _m("transport_consumer", "B116 T:消费纠纷类", "routine", "12345", "any",
       "{num}路公交车司机不等人坐稳就开，老人差点摔倒", "出租车绕路，平时二十块这次收了四十多", w=1.5),
    _m("service_consumer", "B117 T:消费纠纷类", "routine", "12345", "any",
       "我在{gym}办了健身卡，交了{money}块，店突然关门了", "理发店推销办卡，不办就给你剪坏，这不欺负人吗", w=1.5),
    _m("product_quality", "B118 T:消费纠纷类", "routine", "12345", "any",
       "新买的冰箱用了一个礼拜就不制冷了，商家不给换", "在{shop}买的羽绒服一洗就掉毛，找他们不管", w=1.5),
    _m("express_dispute", "B119 T:消费纠纷类", "routine", "12345", "home",
       "快递员不送上门，直接扔驿站，也不打电话", "我的快递被人冒领了，快递公司说签收了就不管了"),
    _m("consumer_other", "B120 T:消费纠纷类", "routine", "12345", "any",
       "{venue}充值的钱不让退，说只能消费", "在网上订的酒店到了说没房了，也不退钱"),
    # 劳动纠纷 B121-B125
    _m("labour_dispute", "B121 T:矛盾纠纷类", "routine", "12345", "any",
       "公司不签劳动合同，也不交社保，我想投诉", "单位让我们每天加班到十点，加班费一分没有", w=1.5),
    _m("wage_arrears", "B122 T:矛盾纠纷类", "routine", "12345", "any",
       "老板欠了我们三个月工资，{money}块，打电话就说下个月", "我在{company}干了半年，走的时候工资一分没给", "过年前工资还没结，我们十几个人都是外地的，等着钱回家", w=2.5),
    _m("work_injury", "B123 T:矛盾纠纷类", "routine", "12345", "any",
       "我在工地上手被机器绞了，老板就给了点钱让我走人", "上个月在厂里干活摔断了腿，厂里不给报销"),
    _m("enterprise_reform", "B124 T:经济纠纷类", "routine", "12345", "any",
       "厂子改制的时候说给我们补偿，到现在都没兑现", "国企改制把我们买断了，工龄咋算的也没个说法"),
    _m("labour_other", "B125 T:矛盾纠纷类", "routine", "12345", "any",
       "我辞职了，公司扣着我的毕业证不给", "招聘的时候说包吃住，来了每个月扣{money}块伙食费"),
    # 医疗纠纷 B126-B128
    _m("doctor_patient", "B126 T:卫生健康类", "routine", "12345", "any",
       "医院看个感冒开了八百多的药，医生态度还差", "在医院排了三个小时，医生看了两分钟就打发走了"),
    _m("medical_accident", "B127 T:卫生健康类", "routine", "12345", "any",
       "我爸在医院做完手术就不行了，医院不给说法", "在私人诊所打针打出问题了，腿到现在还没知觉"),
    _m("medical_other", "B128 T:卫生健康类", "routine", "12345", "any",
       "医院停车场收费太贵了，看个病停车花五十", "病历复印要收好几十块钱，合理吗"),
    # 教育 B129-B133
    _m("student_dispute", "B129 T:教育类", "routine", "12345", "any",
       "我孩子在学校被几个同学欺负，老师不管", "孩子跟同学打架，对方家长不依不饶"),
    _m("teacher_student", "B130 T:教育类", "routine", "12345", "any",
       "老师体罚学生，让我孩子在外面站了一节课", "班主任在群里点名批评孩子，孩子都不敢去学校了"),
    _m("teacher_pay", "B131 T:教育类", "routine", "12345", "any",
       "我是乡村老师，生活补贴半年没发了", "代课老师的工资跟正式的差太多了，干一样的活"),
    _m("school_mgmt", "B132 T:教育类", "routine", "12345", "any",
       "学校强制订校服，一套好几百，质量还差", "学校周末补课，还收补课费", w=1.5),
    _m("education_other", "B133 T:教育类", "routine", "12345", "any",
       "校外培训班收了一年的钱，开了两个月就跑路了", "孩子转学手续办不下来，两个学校互相推"),
    # 房地产 B134-B138
    _m("house_quality", "B134 T:其他事件类", "routine", "12345", "home",
       "新房子刚住一年墙就裂了，卫生间还往楼下渗水", "{estate}外墙砖掉下来了，差点砸到人"),
    _m("delivery_delay", "B135 T:其他事件类", "routine", "12345", "home",
       "{estate}合同写的去年底交房，到现在还没动静", "开发商一直拖着不交房，我们每个月还着房贷还租着房"),
    _m("property_cert", "B136 T:其他事件类", "routine", "12345", "home",
       "房子住了五年了，房产证还办不下来，开发商说在弄", "不动产证办理要交的税咋这么多"),
    _m("house_price", "B137 T:其他事件类", "routine", "12345", "home",
       "{estate}开发商降价卖房，我们老业主亏了好多", "售楼处说好的优惠签合同时候不认了"),
    _m("realestate_other", "B138 T:其他事件类", "routine", "12345", "home",
       "物业费年年涨，服务越来越差，业委会也不管", "开发商承诺的车位变成了商铺", w=1.5),
    # 征地拆迁 B139-B143
    _m("land_compensation", "B139 T:矛盾纠纷类", "routine", "12345", "rural",
       "我家的地被征了，补偿款到现在都没发下来", "征地补偿标准为啥跟隔壁村不一样"),
    _m("demolition_comp", "B140 T:矛盾纠纷类", "routine", "12345", "home",
       "拆迁补偿太低了，按这个钱啥房子都买不到", "拆迁办说我家是违建不补偿，可我家住了几十年了"),
    _m("resettlement", "B141 T:矛盾纠纷类", "routine", "12345", "home",
       "安置房说好三年交，都五年了还没盖好", "过渡费停发了，我们一家还在外面租房"),
    _m("house_title", "B142 T:矛盾纠纷类", "routine", "12345", "home",
       "老人的房子拆迁，兄弟几个都说是自己的，补偿款该给谁", "拆迁的房子是我出钱盖的，登记在我哥名下"),
    _m("demolition_other", "B143 T:矛盾纠纷类", "routine", "12345", "home",
       "拆迁的把我们这片的水电都停了，还没谈好呢就逼我们搬", "我们这片说要拆说了十年了，到底拆不拆，房子也不敢修"),
    # 产权权属 B144-B149
    _m("land_title", "B144 T:矛盾纠纷类", "routine", "12345", "rural",
       "{village}有块地两个组都说是自己的，吵了好多年了", "我家承包的地被村里收回去给别人种了"),
    _m("river_title", "B145 T:矛盾纠纷类", "routine", "12345", "rural",
       "河边那段河道被人圈起来养鱼了，说是他承包的", "两个村为了河道的使用权打起来过，现在还没解决"),
    _m("tidal_title", "B146 T:矛盾纠纷类", "routine", "12345", "rural",
       "河滩那片滩地本来大家都能种，现在被一个人圈了", "{village}河滩地被人占了开砂场"),
    _m("forest_title", "B147 T:矛盾纠纷类", "routine", "12345", "rural",
       "我家林地里的树被邻村的人砍了，说是他们的山", "林权证上的界限跟实际对不上"),
    _m("pond_title", "B148 T:矛盾纠纷类", "routine", "12345", "rural",
       "村里的水塘承包到期了，他还霸着不交", "{village}水塘到底归谁，两家为这个吵了几年"),
    _m("title_other", "B149 T:矛盾纠纷类", "routine", "12345", "rural",
       "村集体的房子被村干部亲戚占着住", "祖坟那块地被人划进自己家了"),
    # 交通问题 B150-B153
    _m("road_comp", "B150 T:矛盾纠纷类", "routine", "12345", "rural",
       "修路占了我家的地和果树，一分钱补偿都没有", "{village}修路把我家的院墙拆了，说好的赔偿没给"),
    _m("toll", "B151 T:其他事件类", "routine", "12345", "road",
       "高速收费站多收了我的钱，明明只走了一段", "那个桥为啥还在收费，不是说早就该停了吗"),
    _m("passage", "B152 T:矛盾纠纷类", "routine", "12345", "home",
       "邻居把我家门口的路堵了，车出不去", "{estate}物业在门口设了杆，外面的车进不来，送老人看病都不方便"),
    _m("traffic_other", "B153 T:其他事件类", "routine", "12345", "road",
       "{num}路公交车太少了，等半个小时一趟，能不能加车", "能不能在{road}那个路口加个红绿灯，车太多过马路太难了", w=1.5),
    # 社会发展 B154 / 内部监督 B155 / 侵权 B156 / 违法举报 B157 / 其他 B158
    _m("suggestion", "B154 T:其他事件类", "routine", "12345", "any",
       "我建议在{road}那边建个公共厕所，附近一个都没有", "我们这片老小区能不能加装电梯，老人太多了", w=2),
    _m("staff_conduct", "B155 T:其他事件类", "routine", "12345", "any",
       "我去政务大厅办事，窗口的人一直在玩手机，爱答不理的", "街道办的人说好了给我回电话，一个月了也没回", w=1.5),
    _m("consumer_rights", "B156 T:消费纠纷类", "routine", "12345", "any",
       "商家不给开发票，说开发票要加钱", "{shop}买东西不给退，七天无理由也不认"),
    _m("market_violation", "B157 T:市场监管类", "routine", "12345", "road",
       "{road}那几家砂石厂串通好了一起涨价", "菜市场有人霸着摊位，外面的人来卖菜就被赶走"),
    _m("other_service", "B158 T:其他求助类", "routine", "12345", "any",
       "我家老人走丢的时候社区帮了大忙，我想表扬一下他们", "我想办个老年卡，坐公交免费那种，在哪办", w=1.5),
)

# ---------------------------------------------------------------- 110 business (警务)
POLICE: tuple[Matter, ...] = (
    _m("manhole_warning", "A1 B10 B13 B33 T:公共设施类 T:道路交通管理", "police", "110 12345", "road",
       "{road}上的井盖没了，黑窟窿一个，晚上车压过去要出大事的，赶紧去围一下", "{road}跟{road2}路口的井盖碎了，已经有个电动车栽进去了，人没大事"),
    _m("traffic_sign", "A2 T:道路交通管理", "police", "110", "road",
       "{road}那个限速牌子被撞歪了，斜着伸到车道上", "路口的指示牌掉下来了，挂在半空中晃荡"),
    _m("traffic_light", "A3 T:道路交通管理", "police", "110", "road",
       "{road}跟{road2}那个路口的红绿灯一直闪黄灯，车都抢着走", "红绿灯坏了，{road}这个路口一个方向老是红灯，堵了一长串", w=1.5),
    _m("guardrail", "A4 T:道路交通管理", "police", "110", "road",
       "{road}中间隔离栏倒了一大片，横在车道上", "护栏被车撞飞了，散在路上"),
    _m("road_screen", "A5 T:道路交通管理", "police", "110", "road",
       "{road}那个显示路况的电子屏掉下来一半，悬着", "路口的电子屏一直显示乱码，还一闪一闪的，晃眼"),
    _m("traffic_other_police", "A6 T:道路交通管理", "police", "110", "road",
       "{road}上有辆大货车掉了一路的石子，后面的车都在躲", "有辆车在{road}上逆行，开得飞快"),
    _m("illegal_parking", "A7 T:道路交通管理", "police", "110", "road",
       "有辆车停在{road}公交站里头，公交车都靠不了站", "小区门口的车把消防通道全堵了，车主电话也没留", "有辆车把我家车库门挡了，我要出门上班呢", w=3),
    _m("congestion", "A8 T:道路交通管理", "police", "110", "road",
       "{road}堵死了，半个小时没动，前面也不知道出啥事了", "学校门口放学接孩子的车堵成一锅粥，天天这样"),
    _m("three_small_vehicles", "A9 T:道路交通管理", "police", "110", "road",
       "{road}天天有改装的三轮摩的拉客，横冲直撞还逆行", "一群骑摩托车的在{road}上飙车，轰轰的，吓死人"),
    _m("leaflets", "A10 T:违法犯罪行为", "police", "110", "home",
       "有人在{estate}里挨家挨户塞小卡片，办证贷款的，门缝都塞满了", "{road}路口有人发传单，上面是赌博网站"),
    _m("fight", "A11 T:违法犯罪行为", "police", "110", "road",
       "{road}那个烧烤摊几个人打起来了，拿着酒瓶子，没人受伤但是吵得凶", "两个司机在{road}下车打起来了，围了一圈人", w=2, when="night"),
    _m("street_other", "A12 T:违法犯罪行为", "police", "110", "road",
       "{road}天桥底下一帮人在那儿赌钱，天天摆摊", "有个人在{road}上拦车要钱，不给就拍车门"),
    _m("dog_bite", "A13 T:治安灾害事故", "police", "110", "home",
       "我刚在{estate}被一条没拴绳的大狗咬了，腿上出血了，狗主人还骂我", "楼下那条大狼狗又咬人了，这都第二个了"),
    _m("electrofishing", "A14 T:违法犯罪行为", "police", "110", "rural",
       "{village}河里有人背着电瓶在电鱼，天天晚上来", "有几个人在水库里电鱼，鱼苗都电死了", when="night"),
    _m("security_tipoff", "A15 T:违法犯罪行为", "police", "110", "road",
       "我举报，{road}有个足疗店不正经，晚上老有人进出", "{estate}有一户天天半夜人来人往的，好像在吸毒"),
    _m("scalper", "A16 T:违法犯罪行为", "police", "110", "any",
       "医院挂号那儿有黄牛，专家号三百一个，天天在那", "演唱会门票被黄牛炒到三千多，就在体育馆门口卖"),
    _m("security_other", "A17 T:违法犯罪行为", "police", "110", "home",
       "楼上那家天天聚一帮人打麻将赌钱，半夜吵，还有人在楼下放风", "有个男的老在{estate}门口转，盯着放学的小姑娘看", when="night"),
    _m("theft", "A21 T:违法犯罪行为", "police", "110", "home",
       "我电动车刚在楼下被偷了，锁都被剪断了", "家里进贼了，门锁被撬了，屋里翻得乱七八糟", "在公交上手机被偷了，就刚才，{num}路车上", w=3),
    _m("fraud", "A21 T:违法犯罪行为", "police", "110", "any",
       "我刚被骗了，一个人说是快递理赔，让我下了个软件转了两万多", "网上刷单被骗了{money}块，对方把我拉黑了", "上个月有人冒充我儿子的老师收资料费，我转了钱，今天才知道是骗子", w=3),
    _m("robbery", "A21 T:违法犯罪行为", "police", "110", "road",
       "我在{road}被人抢了，骑摩托车过来一把把我包抢走了", "刚才有两个人在{road}拦住我要钱，还推了我一把", when="night"),
    _m("domestic_violence", "A21 T:违法犯罪行为", "police", "110", "home",
       "隔壁两口子又打起来了，女的一直在喊救命", "我老公喝了酒又打我，我现在躲在楼下", when="night"),
    _m("car_scratch", "A21 T:违法犯罪行为", "police", "110", "home",
       "我的车停在{estate}里被人拿钥匙划了一圈", "车窗被人砸了，里面的包没了"),
    _m("traffic_minor", "A6 T:道路交通管理", "police", "110", "road",
       "在{road}跟人追尾了，没人受伤，对方不肯挪车要等交警", "刚才一辆车剐了我的电动车就跑了，我腿擦破点皮不碍事", w=2),
    _m("missing_person", "A19 T:群众救助服务", "police", "110", "home",
       "我家老人有老年痴呆，早上出门到现在没回来", "孩子放学到现在没回家，电话也打不通，同学都说没看见", when="any"),
    # mixed: a 12345 matter that has turned into a police one (矛盾激化)
    _m("leak_quarrel_push", "B102 A11 T:矛盾纠纷类 T:违法犯罪行为", "police", "110 12345", "home",
       "楼上漏水我上去找他，他不认账还把我妈推倒了，人没啥事，现在他还在门口骂", "因为漏水的事跟楼上吵起来了，他拿着拖把要打人，你们来个人吧"),
    _m("wage_threat", "B122 A21 T:矛盾纠纷类 T:违法犯罪行为", "police", "110 12345", "any",
       "老板欠我们工资不给，今天去要，他叫了几个人来威胁我们说再来就打断腿", "去{company}要工资，被保安关在门卫室不让走"),
    _m("stall_scuffle", "B72 A11 T:市容环境类 T:违法犯罪行为", "police", "110 12345", "road",
       "{road}城管收摊子跟摆摊的推搡起来了，围了好多人", "摆摊的跟城管吵起来了，在{road}，有人拿秤砣砸了执法车"),
    _m("fume_revenge_past", "B67 A21 T:市容环境类 T:违法犯罪行为", "police", "110 12345", "home",
       "上个月因为油烟跟楼下饭店吵过一架，今天早上发现我家门上被泼了油漆", "我投诉过楼下烧烤店，现在他们天天在楼道里堵我，说要给我点颜色看看"),
    _m("police_complaint", "T:涉警投诉举报", "police", "110", "any",
       "我要投诉派出所的民警，我报案半个月了没人理", "出警的警察态度太差了，还让我自己去找"),
)

# ---------------------------------------------------------------- emergencies (119 / 120 / 联动)
EMERGENCY: tuple[Matter, ...] = (
    _m("fire_home", "T:治安灾害事故 T:抢险抗灾救援", "emergency", "119", "home",
       "{estate}{n}栋有家冒黑烟了，好像是厨房着火了，快来人啊", "楼道里的电动车着火了，烟往楼上窜，我们在家出不去", w=2, when="any"),
    _m("fire_shop", "T:治安灾害事故", "emergency", "119", "road",
       "{road}一家饭店后厨起火了，人都跑出来了没人受伤，火还没灭", "{road}有个仓库着火了，火苗老高了", when="any"),
    _m("fire_forest", "B44 T:抢险抗灾救援", "emergency", "119", "rural",
       "{village}后山着火了，烟好大，往村子这边烧过来了", "山上冒烟了，像是有人上坟引着了，火越烧越大"),
    _m("collapse_person", "T:群众救助服务", "emergency", "120", "road",
       "{road}公交站有个老大爷突然倒地上了，叫不醒", "我家老头突然说不出话，嘴歪了，快来车", "商场里有个女的晕倒了，脸煞白", w=2, when="any"),
    _m("accident_injury", "T:道路交通管理 T:治安灾害事故", "emergency", "110 120", "road",
       "{road}两辆车撞了，有个骑电动车的躺地上起不来", "刚才一辆车把一个小孩撞了，司机跑了，孩子腿在流血", w=1.5, when="any"),
    _m("assault_injury", "A11 T:违法犯罪行为", "emergency", "110 120", "road",
       "{road}有人拿刀砍人，有个人满身是血", "我被几个人打了，鼻子一直在流血，他们还堵在门口", when="night"),
    _m("drowning", "A19 T:抢险抗灾救援", "emergency", "110 119 120", "rural",
       "{village}水库有人掉下去了，扑腾了几下就看不见了", "有个小孩在河里游泳被冲走了，快来人"),
    _m("trapped_lift", "B56 T:抢险抗灾救援", "emergency", "119", "home",
       "{estate}{n}栋电梯卡在两层中间了，里面关着一个老人和一个小孩", "我被困在电梯里了，按警铃没人应，里面好闷"),
    _m("gas_leak", "B30 T:危及公共、人身或财产安全事件", "emergency", "119 12345", "home",
       "楼道里好大一股煤气味，敲那家门没人开", "{road}挖掘机把燃气管挖破了，呲呲往外冒气"),
    _m("co_poisoning", "T:群众救助服务", "emergency", "120 119", "home",
       "我爸妈在屋里烧炭取暖，现在叫不醒了，屋里有股味", "家里热水器好像漏气了，我妈头晕吐了，站不起来"),
    _m("hazchem_leak", "A20 T:危及公共、人身或财产安全事件", "emergency", "110 119", "road",
       "{road}有辆罐车在漏东西，刺鼻得很，路边人都捂着鼻子", "化工厂那边冒黄烟了，味道呛人，周围都是住户"),
    _m("child_locked_car", "A19 T:群众救助服务", "emergency", "110 119", "home",
       "有个小孩被锁在车里了，太阳底下晒着，车主找不到", "我把钥匙锁车里了，孩子还在里面，哭得厉害"),
    _m("building_collapse", "A19 T:抢险抗灾救援", "emergency", "110 119 120", "road",
       "{road}有个老房子塌了，下面好像压着人", "工地的墙倒了，砸到两个干活的，有一个被压住了"),
    _m("truck_overturn", "A19 T:治安灾害事故", "emergency", "110 119 120", "road",
       "{road}有辆拉货的车翻了，司机卡在里面出不来", "一辆面包车翻到沟里了，里面有人在喊"),
    _m("suicide_threat", "A22 T:个人极端事件", "emergency", "110 12345", "home",
       "{estate}有个女的坐在天台边上哭，说不想活了", "我同事发微信说要吃药自杀，人现在联系不上", w=1.5, when="any"),
    _m("revenge_threat", "A22 T:扬言报复社会事件", "emergency", "110 12345", "any",
       "有个人在群里说要开车去撞人报复社会，我认识他，他是我们{estate}的", "我们厂一个被辞退的说要回来放火烧了厂子，拿着汽油桶"),
    _m("drunk_threat", "A22 T:扬言报复社会事件", "emergency", "110 12345", "home",
       "有个男的喝多了在{estate}楼下喊，说要拿刀砍物业的人", "楼下那个精神不太正常的又在拿刀比划，说谁惹他就砍谁", when="night"),
    _m("mass_gathering", "A18 T:群体性聚集事件 T:群体性事件", "emergency", "110 12345", "road",
       "{company}门口聚了好几十个工人讨工资，把路都堵了，情绪很激动", "{estate}一百多个业主围在开发商那儿拉横幅，有人跟保安推起来了", when="day"),
    _m("wall_threat", "B40 T:危及公共、人身或财产安全事件", "emergency", "110 12345", "road",
       "{road}那个广告牌被风吹得快掉了，底下都是人", "{road}的围墙往外倒了一截，砖头掉在人行道上，还在掉"),
    _m("outage_oxygen", "B6 T:群众救助服务 T:公共设施类", "emergency", "120 12345", "home",
       "停电了，我爸在家用制氧机，现在喘不上气，嘴唇都紫了", "{estate}停电两个小时了，我家老人离不开呼吸机，快来人"),
    _m("burst_pipe_sparks", "B29 B7 T:危及公共、人身或财产安全事件", "emergency", "119 12345", "home",
       "{estate}楼里水管爆了，水流进配电箱里噼里啪啦冒火花", "地下室水漫到电闸那儿了，一直冒烟，楼里还有人"),
    _m("electrocution", "B9 T:群众救助服务", "emergency", "120 12345", "road",
       "有个人碰到{road}耷拉下来的电线被电倒了，现在躺着不动", "工人在电线杆上干活被电了，挂在上面下不来"),
)

# ---------------------------------------------------------------- neither platform (引导解释)
REFER: tuple[Matter, ...] = (
    _m("flight", "", "refer", "", "any", "帮我查一下明天去广州的航班延误没有", "飞机晚点了，航空公司不给说法，你们能不能帮我问问"),
    _m("parcel_tracking", "", "refer", "", "any", "我的快递到哪了，单号我念给你", "帮我查查快递，三天了还没动静"),
    _m("lottery", "", "refer", "", "any", "昨晚彩票开的啥号，你们知道不", "我想问问刮刮乐中奖了在哪兑"),
    _m("train_ticket", "", "refer", "", "any", "火车票咋改签啊，在网上弄不明白", "能帮我买张去省城的火车票吗"),
    _m("bank_card", "", "refer", "", "any", "我银行卡被锁了，密码输错三次，咋办", "帮我查一下银行卡余额"),
    _m("phone_bill", "", "refer", "", "any", "我手机话费咋扣了这么多，帮我查查", "宽带到期了在哪续费"),
    _m("weather", "", "refer", "", "any", "明天下不下雨啊，要出门", "今天的限号是几啊，我看看能不能开车"),
    _m("other_city", "", "refer", "", "any", "我在外省买的房子开发商不交房，你们能管吗", "我老家那边村里修路的事，你们能不能帮我问问"),
    _m("court_ruling", "", "refer", "", "any", "法院判了对方还钱，他就是不还，你们帮我去要", "我对法院的判决不服，想找你们给我改改"),
    _m("find_person", "", "refer", "", "any", "你们能不能帮我查一下一个人的电话号码，我就知道名字", "我想找一下我小学同学，你们能查户籍吧"),
    _m("chitchat", "", "refer", "", "any", "我就想问问附近有啥好吃的饭店", "你们这儿是不是能帮忙叫出租车"),
)

# ---------------------------------------------------------------- special scenarios
# Overlapping duties: texts likely to bounce between units (职责交叉，易推诿).
BOUNCE: tuple[Matter, ...] = (
    _m("leak_between_neighbours", "B102 T:矛盾纠纷类", "routine", "12345", "home",
       "楼上漏水漏到我家了，天花板都泡了，找物业物业说找社区，社区让找住建", "我家卫生间往楼下渗水，楼下天天找我，我找不到是哪根管子的问题，物业也不管"),
    _m("manhole_unknown_owner", "B10 B13 B33 T:公共设施类", "routine", "12345", "road",
       "{road}人行道上有个井盖没了，不知道是电力的还是通信的还是市政的，打了好几个电话都说不是他们的", "{road}那个井盖一踩就翻，上面字都磨没了，谁家的都不认"),
    _m("zombie_car", "B74 A7 T:市容环境类", "routine", "12345", "home",
       "{estate}里有辆破车停了一年多了，轮胎都瘪了，物业说找交警，交警说小区里不归他们管", "小区里好几辆僵尸车占着车位，也不知道该谁管"),
    _m("river_garbage", "B65 B48 T:市容环境类", "routine", "12345", "road",
       "{road}那段河沟里全是垃圾，城管说河道归水务，水务说垃圾归城管", "桥底下的河面上漂了一层垃圾，臭死了，也没人捞"),
    _m("stray_dogs", "B43 A13 T:野生动物类", "routine", "12345", "home",
       "{estate}里有一群流浪狗，晚上追人，物业让我们打110，110让打12345", "流浪狗在小区生了一窝，见人就叫，孩子都不敢下楼"),
    _m("basement_flood", "B32 B29 T:公共设施类", "routine", "12345", "home",
       "{estate}地下车库进水了，不知道是自来水管子漏还是雨水倒灌，物业跟自来水公司互相推", "地下室天天积水，排水泵也不开，物业说是管网的问题"),
    _m("billboard_loose", "B41 B74 T:公共设施类", "routine", "12345", "road",
       "{road}楼上的广告牌锈得不行了，不知道谁装的，城管说找业主，业主说找城管", "店门口的招牌松了，刮风就晃，房东和租户都说不归自己"),
    _m("private_wiring", "B11 B74 T:公共设施类", "routine", "12345", "home",
       "{estate}有人从楼上拉电线下来给电动车充电，物业说管不了，说要找供电局", "小区车棚的充电桩老是跳闸，到底谁来修"),
    _m("elevator_who_pays", "B56 B138 T:公共设施类", "routine", "12345", "home",
       "{estate}电梯坏了半个月，物业说没维修基金，住建说找物业，我们到底找谁", "老小区加装的电梯停用了，也不知道归谁维护"),
    _m("tree_on_wire", "B83 B9 T:园林绿化类", "routine", "12345", "road",
       "{road}的树枝压到电线上了，园林说要供电来断电，供电说要园林来剪", "树长到电线里了，一刮风就冒火花，谁也不来弄"),
)

# A mass-complaint cluster (集中来电): one matter, one estate, each caller in their own words.
# Each cluster is (key, refs, services, night?, openers, cores, details, asks).
CLUSTERS: tuple[tuple[str, str, str, bool, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    ("cluster_water_outage", "B29 T:公共设施类", "12345", False,
     ("喂，", "你好，", "我是{estate}的，", "那个，", "我们{estate}", ""),
     ("停水了", "一滴水都没有了", "水龙头拧开没水", "家里断水了", "整个小区都停水了", "没水了", "突然就没水了", "水管里光出气不出水"),
     ("，从早上就停了", "，也没贴通知", "，我们{n}号楼也这样", "，{n}栋{n}单元全都没水", "，孩子都没法上学洗脸", "，老人还等着做饭呢", "，问物业物业也不知道", "，楼上楼下都一样", "，厕所都冲不了", ""),
     ("，啥时候能来水啊", "，你们赶紧给问问", "，能不能派个水车来", "。", "，太耽误事了", "，到底咋回事啊")),
    ("cluster_night_noise", "B69 B76 T:施工管理类", "12345", True,
     ("喂，", "你好，", "我投诉啊，", "我是{estate}的，", ""),
     ("旁边工地半夜还在干活", "工地打桩机一直响", "对面工地灯火通明的还在浇筑", "渣土车一趟一趟地过，轰隆隆的", "工地噪音太大了"),
     ("，都几点了", "，孩子吓醒了", "，我们{n}号楼正对着工地", "，我家老人有心脏病受不了", "，整栋楼都睡不着", "，窗户关上也没用", "，明天还要上班呢", "，天天都这样", ""),
     ("，你们管不管啊", "，让他们停下来", "，有没有夜间施工许可啊", "。", "，能不能派人去看看")),
    ("cluster_heating", "B31 T:公共设施类", "12345", False,
     ("喂，", "你好，", "我们{estate}", "我是{estate}的，", ""),
     ("暖气不热", "暖气片冰凉冰凉的", "暖气跟没开一样", "屋里才十几度", "这个暖气根本不热"),
     ("，交了暖气费的", "，老人冻得直哆嗦", "，{n}号楼一整个单元都不热", "，孩子在家穿着羽绒服写作业", "，整个楼都这样", "，开着空调都冷", "，打热力公司电话打不通", ""),
     ("，啥时候能修好", "，给个说法", "，赶紧派人来看看", "。", "，能不能退钱")),
)

# Repeat callers (重复来电): first call, then follow-ups that refer back.
REPEATS: tuple[tuple[str, str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("repeat_street_light", "B34 T:公共设施类", "12345", "road",
     ("{road}靠近{road2}那一段路灯全不亮，晚上黑得很", "我反映一下，{road}路灯坏了好几盏"),
     ("{ago}我打过电话说{road}路灯的事，到现在还是黑的", "这是我{times}打了，{road}的路灯还是不亮，到底有没有人管", "路灯的事儿，还是没修，{ago}说好的三天内处理")),
    ("repeat_wage", "B122 T:矛盾纠纷类", "12345", "any",
     ("{company}欠我两个月工资{money}块，老板一直躲着不见", "我在{company}干活，工资拖着不给，{money}块"),
     ("{ago}反映过{company}欠工资的事，劳动监察打了个电话就没下文了", "我{times}打电话了，工资还是没要到，老板电话都不接了", "还是欠工资那个事，你们回访说解决了，我一分钱都没拿到")),
    ("repeat_leak", "B102 T:矛盾纠纷类", "12345", "home",
     ("{estate}楼上漏水漏到我家，墙皮都掉了，楼上不让进门看", "楼上卫生间渗水，我家天花板一直往下滴"),
     ("{ago}说的楼上漏水，社区来看了一眼就走了，现在漏得更厉害了", "{times}打了，漏水还没解决，我家衣柜都泡坏了", "楼上漏水那个事，楼上人说你们没权管他，到底咋办")),
    ("repeat_fume", "B67 T:市容环境类", "12345", "home",
     ("{estate}楼下烧烤店油烟往我家灌，晚上熏得不行", "底商饭店的排烟管正对着我家窗户"),
     ("{ago}投诉的油烟，城管来了一趟，他们停了两天又开始了", "{times}反映了，那个烧烤店油烟还是那样，你们处理的啥啊", "油烟的事还没完，现在他们干到半夜两点")),
)

# One harassing caller (恶意骚扰): frequent, abusive; operators mark abuse in brackets.
HARASS_REFS = ("A22", "T:其他事件类")
HARASS_TEXTS: tuple[str, ...] = (
    "你们这帮废物，拿着纳税人的钱不干活",
    "（骂人）我就打，你能把我咋样",
    "你叫什么名字，工号多少，我要投诉你",
    "我没事，就是想跟你聊聊，你别挂啊",
    "上次那个事你们到底办没办，不办我天天打",
    "（辱骂）你们领导呢，让你们领导来接",
    "我家门口的天是灰的，你们给我弄蓝了",
    "你再挂我电话试试，我一天打一百个",
    "（沉默十几秒后挂断）",
    "喂喂喂，听得见吗，哈哈哈，没事",
    "你们市长电话多少，给我市长电话",
    "（酒后来电）你们都是骗子，全是骗子",
    "我又来了，想我没有，（骂人）",
    "我举报我自己，你们来抓我啊",
)

# Colloquial dressing (口语化).
OPENERS = ("喂，", "喂喂，", "你好，", "您好，", "那个，", "我跟你说啊，", "就是，", "嗯，")
COMPLAINT_OPENERS = ("我要反映个事，", "我投诉一下，")
QUESTION_OPENERS = ("我想问一下，", "咨询一下，", "请问一下啊，")
QUESTION_CLOSERS = ("，谢谢啊", "呢", "，麻烦你了", "，你给我说说", "啊")
QUESTION_MARKERS = ("吗", "问一下", "问下", "咋", "怎么", "哪", "啥", "多少", "是吧", "能不能", "呢")
CLOSERS = ("，你们赶紧来看看吧", "，能不能管管啊", "，麻烦你们了", "，到底谁管啊", "，赶紧处理一下", "，谢谢啊", "啊", "呢", "，烦死了", "，真是的")
URGENT_OPENERS = ("快快快，", "喂！", "救命啊，", "快点来人，", "喂喂，", "")
URGENT_CLOSERS = ("，快点来啊", "，快快快", "，你们快点", "！", "，求求你们了", "")
OPERATOR_FRAMES = ("来电人称：", "市民来电反映：", "来电人反映，", "来电称，")
POLICE_FRAMES = ("报警人称：", "报警人报称，", "求助人称：")  # as the 110 接警员 types it
BACKSTORIES = (  # what callers say before getting to the point
    "我都七十多了，腿脚不好，", "我已经找过社区了，社区让我打这个电话，", "我在这住了二十多年了，从来没这样过，",
    "我刚下夜班回来，", "我打了好几个电话都没人管，", "我是替我妈打的，她耳朵不好，", "我一个人带着孩子，",
    "物业那边我也说了，没用，", "我也不知道该找谁，网上查的这个电话，",
)
AFTERWORDS = (  # what they add once the point is made
    "，这事都一个多月了", "，我们好几户都有意见", "，我拍了照片可以发给你们", "，处理完了给我回个电话",
    "，你们别光记不办啊", "，上回打电话说转给部门了，也没下文", "，我就住这儿，随时可以来找我", "，再不管我就找媒体了",
    "，我们这楼里老人多，真出事就晚了", "，白天我上班，晚上七点以后在家",
)
OPERATOR_NOTES = ("（来电人要求回电）", "（来电人情绪激动）", "（来电人要求保密）", "（来电人要求尽快处理并回复）", "（多次来电）")
WRITTEN_OPENERS = ("您好，", "你好，我想反映一个问题：", "12345您好，", "尊敬的领导：", "")
WRITTEN_CLOSERS = ("，希望有关部门尽快处理。", "，望尽快解决，谢谢！", "。", "，请相关部门重视。")
WRITTEN_QUESTION_CLOSERS = ("？谢谢！", "？盼复。", "？")
FOLLOWUP_TIMES = ("第二次", "第三次", "第四次", "又一次")
MIX_JOINERS = ("还有个事儿，", "对了，", "另外，", "顺便再说一个，")
TYPOS: tuple[tuple[str, str], ...] = (  # (right, wrong) — homophone slips in transcription
    ("已经", "以经"), ("现在", "现再"), ("反映", "反应"), ("在哪", "再哪"), ("的时候", "得时候"),
    ("赶紧", "赶进"), ("那个", "哪个"), ("不知道", "不只道"), ("物业", "物叶"), ("怎么", "咋么"),
)

SHOPS = ("好又多超市", "百姓大药房", "阳光数码", "鑫鑫便利店", "时尚女装店", "万家福超市", "老李烟酒店", "惠民家电")
VENUES = ("美丽人生美容院", "金手指理发店", "飞跃健身", "聚福楼饭店", "童趣乐园", "康乐洗浴中心", "悦享美甲")  # 办卡/充值的店
GYMS = ("飞跃健身", "力量健身会所", "动感健身房")
COMPANIES = ("明川宏达建筑公司", "鑫源机械厂", "明川市顺通物流", "金山电子厂", "华盛装饰公司", "明川市第三建筑队", "龙泉食品厂", "恒发纺织厂")


# ---------------------------------------------------------------- dressing a phrase as typed


def fill(template: str, ctx: dict[str, str]) -> str:
    return template.format_map(ctx)


def ago(days: int, rng: random.Random) -> str:
    """How a repeat caller refers back to a call `days` ago."""
    if days == 1:
        return "昨天"
    if days == 2:
        return rng.choice(("前天", "两天前"))
    return rng.choice(("大前天", "三天前", "前几天"))


def dress(text: str, rng: random.Random, style: str) -> str:
    """Make a clean phrase sound as typed: openers, 语气词, an operator's frame, a typo.

    style: "call" / "call110" (a call as typed at the 12345 / 110 desk), "urgent" (an
    emergency call), "written" (web/app/微信, the citizen's own words).
    """
    asking = any(m in text for m in QUESTION_MARKERS)
    if style == "urgent":
        out = rng.choice(URGENT_OPENERS) + text + rng.choice(URGENT_CLOSERS)
    elif style == "written":
        out = rng.choice(WRITTEN_OPENERS) + text.rstrip("。") + rng.choice(WRITTEN_QUESTION_CLOSERS if asking else WRITTEN_CLOSERS)
    else:
        out = text
        if rng.random() < 0.12 and len(text) < MAX_LEN - 40:
            out = rng.choice(BACKSTORIES) + out
        opened = rng.random() < 0.35
        if opened:
            out = rng.choice(OPENERS + (QUESTION_OPENERS if asking else COMPLAINT_OPENERS)) + out
        if rng.random() < 0.4:
            closer = rng.choice(QUESTION_CLOSERS if asking else CLOSERS)
            if not (len(closer) == 1 and out[-1] in "吗呢啊吧嘛了"):  # no 吗呢 pile-ups
                out = out.rstrip("。，") + closer
        for _ in range(0 if asking else (2 if rng.random() < 0.3 else 1)):
            if rng.random() < 0.22:
                out = out.rstrip("。，") + rng.choice(AFTERWORDS)
        if rng.random() < 0.07:
            out = out.rstrip("。，") + "。" + rng.choice(OPERATOR_NOTES)
        if not opened and rng.random() < 0.1:
            out = rng.choice(POLICE_FRAMES if style == "call110" else OPERATOR_FRAMES) + out
        if rng.random() < 0.07:
            right, wrong = rng.choice(TYPOS)
            out = out.replace(right, wrong, 1)
    if len(out) > MAX_LEN:
        out = text
    if len(out) < MIN_LEN:
        out = rng.choice(("喂，你好，", "你好，我想说一下，", "那个，我跟你说，")) + out
    return out
