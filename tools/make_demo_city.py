"""Writes src/liandong/cities/demo/city.yaml: the fictional 明川市 (code 148800).

Kept as a script so the unit list stays consistent (credit codes with valid check digits);
the YAML it writes is the city's data and may be edited by hand afterwards.
"""

from pathlib import Path

from liandong.regions.credit_code import make_credit_code

CITY = ("148800", "明川市")
DISTRICTS = [
    ("148802", "东城区", ["东门街道", "鼓楼街道", "滨江街道", "新华街道"]),
    ("148803", "西湖区", ["西湖街道", "柳岸街道", "金山街道"]),
    ("148821", "清河县", ["城关镇", "石桥镇", "白水乡"]),
    ("148881", "望山市", ["望山街道", "龙泉镇"]),
]
COMMUNITIES = ["第一社区", "第二社区", "幸福社区"]
DEPARTMENTS = [
    ("URBAN", "明川市城市管理局", ["urban_management"]),
    ("HOUSING", "明川市住房和城乡建设局", ["housing_construction", "real_estate"]),
    ("NATRES", "明川市自然资源和规划局", ["natural_resources"]),
    ("ECO", "明川市生态环境局", ["ecology_environment"]),
    ("SAMR", "明川市市场监督管理局", ["market_regulation"]),
    ("HRSS", "明川市人力资源和社会保障局", ["human_resources_social_security"]),
    ("MEDSEC", "明川市医疗保障局", ["medical_security"]),
    ("CIVIL", "明川市民政局", ["civil_affairs"]),
    ("HEALTH", "明川市卫生健康委员会", ["health"]),
    ("EDU", "明川市教育局", ["education"]),
    ("TRANS", "明川市交通运输局", ["transport"]),
    ("WATER", "明川市水务局", ["water_resources"]),
    ("AGRI", "明川市农业农村局", ["agriculture_rural"]),
    ("GREEN", "明川市园林绿化中心", ["landscaping"]),
    ("CULTOUR", "明川市文化和旅游局", ["culture_tourism"]),
    ("JUSTICE", "明川市司法局", ["justice"]),
    ("EMERG", "明川市应急管理局", ["emergency_management", "earthquake"]),
    ("GOVSVC", "明川市政务服务管理局", ["government_services"]),
]
UTILITIES = [
    ("POWER", "国网明川供电公司", ["power_supply"]),
    ("WSUPPLY", "明川市自来水有限公司", ["water_supply"]),
    ("GAS", "明川华润燃气有限公司", ["gas_supply"]),
    ("HEAT", "明川市热力有限公司", ["heat_supply"]),
    ("TELECOM", "明川通信网络维护中心", ["telecom"]),
]


def quote(s: str) -> str:
    return f'"{s}"'


def main() -> None:
    serial = iter(range(10000001, 10099999))
    lines = [
        "# 明川市 — the fictional demo city (prefecture level, code 148800). Codes have the GB/T 2260 shape",
        "# but the city does not exist. Units' 统一社会信用代码 carry valid GB 32100-2015 check characters.",
        f"name: {CITY[1]}",
        f"code: {quote(CITY[0])}",
        "regions:",
        f"  - {{code: {quote(CITY[0])}, name: {CITY[1]}}}",
    ]
    streets = []
    for dcode, dname, snames in DISTRICTS:
        lines.append(f"  - {{code: {quote(dcode)}, name: {dname}}}")
        for i, sname in enumerate(snames, start=1):
            scode = f"{dcode}{i:03d}"
            streets.append((scode, sname, dcode))
            lines.append(f"  - {{code: {quote(scode)}, name: {sname}}}")
            for j, cname in enumerate(COMMUNITIES, start=1):
                lines.append(f"  - {{code: {quote(scode + f'{j:03d}')}, name: {sname[:2]}{cname}}}")
    lines.append("units:")

    def unit(code, name, kind, region, platform, functions, parent=None, org_type="1", authority="1"):
        cc = make_credit_code(authority, org_type, region[:6], str(next(serial))[:8])
        parts = [f"code: {code}", f"name: {name}", f"credit_code: {quote(cc)}", f"kind: {kind}",
                 f"region: {quote(region)}", f"platform: {quote(platform)}"]
        if parent:
            parts.append(f"parent: {parent}")
        parts.append(f"functions: [{', '.join(functions)}]")
        lines.append("  - {" + ", ".join(parts) + "}")

    unit("HOTLINE", "明川市12345政务服务便民热线中心", "hotline_centre", CITY[0], "12345", [])
    unit("CMD", "明川市城市运行管理中心", "command_centre", CITY[0], "12345", [])
    for code, name, funcs in DEPARTMENTS:
        unit(code, name, "department", CITY[0], "12345", funcs)
    for code, name, funcs in UTILITIES:
        unit(code, name, "utility", CITY[0], "utility", funcs, org_type="3", authority="9")
    for scode, sname, dcode in streets:
        dname = next(d[1] for d in DISTRICTS if d[0] == dcode)
        unit(f"ST-{scode}", f"{dname}{sname}", "street_office", scode, "12345", ["street_office"])
    unit("PSB", "明川市公安局110指挥中心", "police_command", CITY[0], "110", ["public_security"])
    unit("TRAFFIC", "明川市公安局交通警察支队", "police_station", CITY[0], "110", ["traffic_police"], parent="PSB")
    for dcode, dname, _ in DISTRICTS:
        unit(f"PS-{dcode}", f"明川市公安局{dname}分局", "police_station", dcode, "110", ["public_security"], parent="PSB")
    unit("FIRE", "明川市消防救援支队", "fire_station", CITY[0], "119", ["fire_rescue"])
    unit("AMB", "明川市急救中心", "ambulance", CITY[0], "120", ["emergency_medical"])
    out = Path(__file__).resolve().parent.parent / "src/liandong/cities/demo/city.yaml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(streets)} streets, {sum(1 for l in lines if l.startswith('  - {code: ') and 'kind:' in l)} units")


if __name__ == "__main__":
    main()
