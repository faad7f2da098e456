"""Issuing organs: realistic names and the size profile that drives their figures."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

Profile = Literal["township", "county", "bureau", "large"]

_TOWNS = (
    "邢庄",
    "柳河",
    "石桥",
    "大王庄",
    "青山",
    "马集",
    "高店",
    "李楼",
    "双沟",
    "杨湖",
    "白塔",
    "新安",
    "桃源",
    "龙门",
    "黄渡",
    "古城",
    "张店",
    "三河",
    "沙河",
    "清水",
)
_STREETS = ("城关", "东城", "西湖", "解放路", "南关", "新华", "人民路", "朝阳")
_COUNTIES = (
    "临泉",
    "汶上",
    "宁陵",
    "泗县",
    "安福",
    "嵩明",
    "丰宁",
    "永和",
    "荣昌",
    "桐庐",
    "祁门",
    "通许",
    "滦南",
    "武宁",
    "鄄城",
    "长丰",
)
_DISTRICTS = ("鼓楼", "金水", "岚山", "龙湖", "新城", "高新", "天河", "历下")
_CITIES = (
    "阜阳",
    "商丘",
    "济宁",
    "赣州",
    "洛阳",
    "承德",
    "重庆市永川区",
    "杭州",
    "黄山",
    "开封",
    "唐山",
    "九江",
    "菏泽",
    "合肥",
    "郑州",
    "广州",
)
_CITY_BUREAUS = (
    "生态环境局",
    "自然资源和规划局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "市场监督管理局",
    "教育局",
    "公安局",
    "交通运输局",
    "卫生健康委员会",
    "民政局",
    "财政局",
    "农业农村局",
)
_COUNTY_BUREAUS = (
    "教育局",
    "民政局",
    "财政局",
    "水利局",
    "农业农村局",
    "卫生健康委员会",
    "市场监督管理局",
)


@dataclass(frozen=True)
class Issuer:
    name: str  # as printed in the title, e.g. 邢庄镇人民政府
    short: str  # as used in prose, e.g. 邢庄镇 / 我局
    we: str  # 我镇 / 我局 / 我委 / 我办
    profile: Profile


def _we(name: str) -> str:
    for suffix, we in (
        ("委员会", "我委"),
        ("局", "我局"),
        ("办公室", "我办"),
        ("办事处", "我街道"),
        ("乡人民政府", "我乡"),
        ("镇人民政府", "我镇"),
        ("县人民政府", "我县"),
        ("区人民政府", "我区"),
    ):
        if name.endswith(suffix):
            return we
    return "我单位"


def draw_issuer(rng: random.Random, profile: Profile | None = None) -> Issuer:
    """A random organ (of `profile` when given); townships are the most common publishers."""
    if profile is not None:
        while True:
            issuer = draw_issuer(rng)
            if issuer.profile == profile:
                return issuer
    kind = rng.choices(
        [
            "town",
            "xiang",
            "street",
            "county_gov",
            "county_office",
            "county_bureau",
            "district_bureau",
            "city_bureau",
            "city_big",
        ],
        weights=[18, 6, 5, 6, 5, 8, 5, 10, 4],
    )[0]
    if kind == "town":
        t = rng.choice(_TOWNS)
        return Issuer(f"{t}镇人民政府", f"{t}镇", "我镇", "township")
    if kind == "xiang":
        t = rng.choice(_TOWNS)
        return Issuer(f"{t}乡人民政府", f"{t}乡", "我乡", "township")
    if kind == "street":
        s = rng.choice(_STREETS)
        county = rng.choice(_COUNTIES)
        return Issuer(f"{county}县{s}街道办事处", f"{s}街道", "我街道", "township")
    if kind == "county_gov":
        c = rng.choice(_COUNTIES)
        return Issuer(f"{c}县人民政府", f"{c}县", "我县", "county")
    if kind == "county_office":
        c = rng.choice(_COUNTIES)
        return Issuer(f"{c}县人民政府办公室", f"{c}县政府办", "我办", "county")
    if kind == "county_bureau":
        c = rng.choice(_COUNTIES)
        b = rng.choice(_COUNTY_BUREAUS)
        name = f"{c}县{b}"
        return Issuer(name, name, _we(name), "county")
    if kind == "district_bureau":
        d = rng.choice(_DISTRICTS)
        b = rng.choice(_COUNTY_BUREAUS)
        name = f"{d}区{b}"
        return Issuer(name, name, _we(name), "bureau")
    city = rng.choice(_CITIES)
    b = rng.choice(_CITY_BUREAUS)
    sep = "" if city.endswith("区") or "市" in city else "市"
    name = f"{city}{sep}{b}"
    return Issuer(name, name, _we(name), "large" if kind == "city_big" else "bureau")


def issuer_from_name(name: str, profile: Profile) -> Issuer:
    short = name.removesuffix("人民政府")
    return Issuer(name, short, _we(name), profile)
