"""Prose of sections 1, 5 and 6: varied paragraphs built from real-report phrasing.

A section is a list of paragraphs; a paragraph is (style, text) with style
"para" (indented body text) or "sub" (a sub-heading, which may reuse the section
numbering, e.g. 一、开展工作情况, as real reports do).
"""

from __future__ import annotations

import random

from samples.generator.issuers import Issuer

Paragraph = tuple[str, str]

_OVERVIEW_TOPICS = (
    (
        "主动公开",
        "{y}年，{we}严格落实《中华人民共和国政府信息公开条例》，围绕中心工作，及时公开政策文件、财政预决算、重大建设项目、公共资源配置等信息。全年通过政府门户网站主动公开政府信息{n}条，其中政策文件{m}条，进一步提升了政务公开的质量和实效。",
    ),
    (
        "依申请公开",
        "{we}进一步规范依申请公开办理流程，严格执行登记、审核、办理、答复、归档等工作环节，做到依法依规、按时答复。全年未发生因依申请公开答复不当引起的复议、诉讼纠纷。",
    ),
    (
        "政府信息管理",
        "{we}建立健全政府信息公开保密审查机制，坚持“先审查、后公开”和“一事一审”原则，对拟公开信息进行严格把关，全年未发生泄密事件。同时加强对已公开信息的动态调整，及时清理过时、失效信息。",
    ),
    (
        "平台建设",
        "{we}持续加强政府网站信息公开专栏建设，优化栏目设置，完善检索功能，及时更新内容，同时利用政务新媒体、公开栏、便民服务中心等渠道，拓宽信息发布途径，方便群众查阅。",
    ),
    (
        "监督保障",
        "{we}将政务公开工作纳入年度绩效考核，明确分管领导和具体经办人员，定期开展业务培训，全年组织培训{k}次，参训人员{p}人次，工作人员业务能力进一步提高。",
    ),
    (
        "组织领导",
        "{we}高度重视政府信息公开工作，成立了由主要负责同志任组长、分管负责同志任副组长、各科室负责人为成员的政务公开工作领导小组，明确专人负责信息的收集、审核、发布工作，形成了主要领导亲自抓、分管领导具体抓、各部门协同配合的工作格局。",
    ),
    (
        "政策解读",
        "{we}坚持政策文件与解读方案、解读材料同步组织、同步审签、同步部署，采用图文、问答等形式对重要政策进行解读，全年发布政策解读{r}篇，回应社会关切。",
    ),
)

_OPENERS = (
    "{y}年，{short}在上级政务公开部门的指导下，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作，现将有关情况报告如下。",
    "{short}{y}年采取了以下措施做好政府信息公开这项工作。",
    "{y}年，{we}坚持以公开为常态、不公开为例外，紧紧围绕年度重点工作，不断加大政府信息公开力度，切实保障人民群众的知情权、参与权和监督权。",
)

_PROBLEMS = (
    "信息公开的内容有待充实完善，部分栏目更新不够及时。",
    "政策解读形式较为单一，图片、音视频等多样化解读方式运用不多。",
    "工作人员业务水平有待进一步提高，对《条例》的理解和把握还不够深入。",
    "基层政务公开标准化规范化建设仍需加强，公开事项目录还需细化。",
    "依申请公开答复的规范性有待提高，部分答复文书说理不够充分。",
)
_IMPROVEMENTS = (
    "进一步加强学习培训，组织工作人员深入学习《条例》，提高信息报送和审核人员的业务水平，做到公开信息全面、准确、及时。",
    "深化公开内容，以社会关注度高、公开利益大的政府信息为突破口，落实责任，及时收集公开，努力做到所公开的信息透明度高、内容涉及广。",
    "丰富政策解读形式，综合运用图解、视频、新闻发布等方式，提升政策解读的针对性和可读性。",
    "规范依申请公开办理流程，加强与法律顾问的沟通，提高答复质量，依法保障申请人合法权益。",
    "强化监督考核，将政务公开工作纳入年度考核内容，定期通报，确保各项工作落到实处。",
)
_OTHER = (
    "无。",
    "无",
    "本年度未收取信息处理费。",
    "依据《政府信息公开信息处理费管理办法》，本年度未发生收取信息处理费的情况。",
    "{y}年度，{we}未收取信息处理费。无其他需要报告的事项。",
    "本年度{we}无其他需要报告的事项。",
)

_CN_NUMS = "一二三四五六七八九十"


def _fill(template: str, rng: random.Random, issuer: Issuer, year: int) -> str:
    return template.format(
        y=year,
        we=issuer.we,
        short=issuer.short,
        n=rng.randint(20, 900),
        m=rng.randint(1, 40),
        k=rng.randint(1, 6),
        p=rng.randint(10, 120),
        r=rng.randint(1, 30),
    )


def overview(rng: random.Random, issuer: Issuer, year: int) -> list[Paragraph]:
    out: list[Paragraph] = [("para", _fill(rng.choice(_OPENERS), rng, issuer, year))]
    topics = rng.sample(_OVERVIEW_TOPICS, rng.randint(2, 5))
    style = rng.choice(["numbered_sub", "inline", "reused_top"])
    if style == "reused_top":
        out.append(("sub", "一、开展工作情况"))
    for i, (title, text) in enumerate(topics):
        body = _fill(text, rng, issuer, year)
        if style == "inline":
            out.append(("para", f"（{_CN_NUMS[i]}）{title}。{body}"))
        else:
            out.append(("sub", f"（{_CN_NUMS[i]}）{title}"))
            out.append(("para", body))
    return out


def problems(rng: random.Random, issuer: Issuer, year: int) -> list[Paragraph]:
    probs = rng.sample(_PROBLEMS, rng.randint(1, 3))
    imps = rng.sample(_IMPROVEMENTS, rng.randint(1, 3))
    if rng.random() < 0.5:
        out: list[Paragraph] = [("sub", "一、存在的问题")]
        out.append(("para", f"{issuer.we}政府信息公开工作取得了一定成效，但仍存在一些不足："))
        out += [("para", f"（{_CN_NUMS[i]}）{p}") for i, p in enumerate(probs)]
        out.append(("sub", f"二、{year + 1}年政务公开工作思路"))
        out += [("para", f"（{_CN_NUMS[i]}）{p}") for i, p in enumerate(imps)]
        return out
    text = "存在的主要问题：" + "".join(probs) + "改进措施：" + "".join(imps)
    return [("para", text)]


def other_matters(rng: random.Random, issuer: Issuer, year: int) -> list[Paragraph]:
    return [("para", _fill(rng.choice(_OTHER), rng, issuer, year))]


def preamble(rng: random.Random, fmt: str) -> list[Paragraph]:
    """The opening sentence that cites the format notice; sometimes the other one."""
    if rng.random() < 0.4:
        return []
    notice = "国办公开办函〔2021〕30号" if fmt == "2021" else "国办公开办函〔2019〕60号"
    if rng.random() < 0.15:  # real reports cite the wrong notice: decide by the tables
        notice = "国办公开办函〔2019〕60号" if fmt == "2021" else "国办公开办函〔2021〕30号"
    return [
        (
            "para",
            "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
            f"《中华人民共和国政府信息公开工作年度报告格式》（{notice}）要求编制。"
            "本报告中所列数据的统计期限自1月1日起至12月31日止。",
        )
    ]


def section_text(paragraphs: list[Paragraph]) -> str:
    """The truth text of a section: its paragraphs, one per line."""
    return "\n".join(text for _, text in paragraphs)
