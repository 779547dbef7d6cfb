"""Demo content for the site's general pages, and the helpers other apps'
demo modules use to build pages, images and documents idempotently.

Everything is looked up before it is made: an existing page (by parent and
slug), image or document (by collection and title) is left as it is, so a second
run creates no pages, revisions or files.
"""

import datetime
import math
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from .models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    GuideIndexPage,
    GuidePage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ShowcaseIndexPage,
    ShowcasePage,
    StandardPage,
    VoiceIndexPage,
    VoicePage,
)

DEMO_COLLECTION = "示范内容"
BANNER_SIZE = (1200, 630)

# --- Building blocks -------------------------------------------------------


def home_page() -> HomePage:
    root = Site.objects.get(is_default_site=True).root_page.specific
    if not isinstance(root, HomePage):
        raise CommandError("The default site's root page is not the home page.")
    return root


def child_page(parent: Page, slug: str):
    """The specific child of `parent` with this slug, or None."""
    page = Page.objects.child_of(parent).filter(slug=slug).first()
    return page.specific if page else None


def page_ensure(parent: Page, page: Page) -> tuple[Page, bool]:
    """Add and publish `page` under `parent` unless a child has its slug."""
    existing = child_page(parent, page.slug)
    if existing is not None:
        return existing, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def demo_collection() -> Collection:
    """The collection that holds the demo's images, documents and media."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=DEMO_COLLECTION).first()
    return existing or root.add_child(name=DEMO_COLLECTION)


def p(*paragraphs: str):
    return ("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))


def rich(html: str):
    return ("paragraph", html)


def h(text: str):
    return ("heading", {"text": text, "level": "h2"})


def quote(text: str, source: str = ""):
    return ("quote", {"text": text, "attribution": source})


def figure(banner: str, alt: str, caption: str = ""):
    """An image block; `banner` is a key of BANNERS, resolved when seeding."""
    return ("image", {"image": banner, "alt": alt, "caption": caption})


def resolve_body(body: list, images: dict) -> list:
    """Replace banner keys in image blocks by the Image objects."""
    resolved = []
    for name, value in body:
        if name == "image":
            value = {**value, "image": images[value["image"]]}
        resolved.append((name, value))
    return resolved


# --- Generated images -------------------------------------------------------


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _star(cx, cy, outer, inner):
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def banner_bytes(motif: str, top, bottom, accent) -> bytes:
    """A simple JPEG banner: a gradient sky and a shape, no text."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    w, hgt = BANNER_SIZE
    img = PILImage.new("RGB", BANNER_SIZE)
    draw = ImageDraw.Draw(img)
    for y in range(hgt):
        draw.line([(0, y), (w, y)], fill=_mix(top, bottom, y / (hgt - 1)))
    light = _mix(accent, (255, 255, 255), 0.5)
    if motif == "sunrise":
        draw.ellipse(
            [w * 0.6, hgt * 0.35, w * 0.6 + 260, hgt * 0.35 + 260], fill=accent
        )
        for i in range(12):
            a = i * math.pi / 6
            cx, cy = w * 0.6 + 130, hgt * 0.35 + 130
            draw.line(
                [
                    (cx + 160 * math.cos(a), cy + 160 * math.sin(a)),
                    (cx + 220 * math.cos(a), cy + 220 * math.sin(a)),
                ],
                fill=light,
                width=8,
            )
        draw.polygon(
            [(0, hgt), (0, hgt * 0.7), (w * 0.45, hgt * 0.55), (w, hgt)], fill=bottom
        )
        draw.polygon(
            [(w * 0.3, hgt), (w * 0.75, hgt * 0.62), (w, hgt * 0.75), (w, hgt)],
            fill=_mix(bottom, (0, 0, 0), 0.25),
        )
    elif motif == "road":
        horizon = hgt * 0.45
        draw.polygon(
            [(w * 0.47, horizon), (w * 0.53, horizon), (w * 0.9, hgt), (w * 0.1, hgt)],
            fill=(60, 60, 66),
        )
        for i in range(8):
            t0, t1 = (i / 8) ** 2, ((i + 0.5) / 8) ** 2
            y0, y1 = horizon + (hgt - horizon) * t0, horizon + (hgt - horizon) * t1
            draw.polygon(
                [
                    (w / 2 - 2 - 10 * t0, y0),
                    (w / 2 + 2 + 10 * t0, y0),
                    (w / 2 + 2 + 10 * t1, y1),
                    (w / 2 - 2 - 10 * t1, y1),
                ],
                fill=accent,
            )
        draw.ellipse(
            [w * 0.15, hgt * 0.12, w * 0.15 + 120, hgt * 0.12 + 120], fill=light
        )
    elif motif == "city":
        x = 0
        heights = [0.35, 0.55, 0.42, 0.7, 0.5, 0.62, 0.38, 0.58, 0.46, 0.66, 0.4]
        for i, rel in enumerate(heights):
            bw = w / len(heights)
            y = hgt * (1 - rel)
            draw.rectangle(
                [x, y, x + bw - 6, hgt],
                fill=_mix(bottom, (0, 0, 0), 0.2 + 0.05 * (i % 3)),
            )
            for wy in range(int(y) + 20, hgt - 20, 44):
                for wx in range(int(x) + 14, int(x + bw) - 24, 30):
                    if (wx + wy + i) % 3:
                        draw.rectangle([wx, wy, wx + 12, wy + 18], fill=accent)
            x += bw
    elif motif == "book":
        cx, cy = w / 2, hgt * 0.58
        draw.polygon(
            [
                (cx, cy - 150),
                (cx - 380, cy - 190),
                (cx - 380, cy + 150),
                (cx, cy + 190),
            ],
            fill=(250, 246, 236),
        )
        draw.polygon(
            [
                (cx, cy - 150),
                (cx + 380, cy - 190),
                (cx + 380, cy + 150),
                (cx, cy + 190),
            ],
            fill=(242, 236, 222),
        )
        for i in range(6):
            y = cy - 110 + i * 45
            draw.line(
                [(cx - 330, y - 30 + i * 2), (cx - 40, y + 6)], fill=light, width=6
            )
            draw.line(
                [(cx + 40, y + 6), (cx + 330, y - 30 + i * 2)], fill=light, width=6
            )
        draw.polygon(_star(w * 0.12, hgt * 0.2, 70, 28), fill=accent)
    elif motif == "heart":
        cx, cy, r = w / 2, hgt * 0.45, 120
        draw.ellipse([cx - 2 * r, cy - r, cx, cy + r], fill=accent)
        draw.ellipse([cx, cy - r, cx + 2 * r, cy + r], fill=accent)
        draw.polygon(
            [(cx - 2 * r + 8, cy + 30), (cx + 2 * r - 8, cy + 30), (cx, cy + 2.6 * r)],
            fill=accent,
        )
        for i in range(5):
            draw.ellipse([80 + i * 240, hgt - 90, 140 + i * 240, hgt - 30], fill=light)
    elif motif == "phone":
        cx, cy = w / 2, hgt / 2
        draw.rounded_rectangle(
            [cx - 140, cy - 250, cx + 140, cy + 250], radius=36, fill=(34, 34, 40)
        )
        draw.rectangle([cx - 118, cy - 210, cx + 118, cy + 200], fill=(250, 247, 240))
        draw.rectangle([cx - 118, cy - 210, cx + 118, cy - 150], fill=accent)
        for i in range(6):
            draw.rectangle(
                [cx - 96, cy - 120 + i * 52, cx + 96 - (i % 3) * 30, cy - 100 + i * 52],
                fill=light,
            )
        for side in (-1, 1):
            for i in range(3):
                r = 40 + 30 * i
                draw.arc(
                    [cx + side * 300 - r, cy - r, cx + side * 300 + r, cy + r],
                    0,
                    360,
                    fill=light,
                    width=5,
                )
    elif motif == "waves":
        for band in range(5):
            base = hgt * (0.4 + band * 0.13)
            colour = _mix(accent, bottom, band / 5)
            points = [
                (x, base + 28 * math.sin(x / 90 + band)) for x in range(0, w + 20, 20)
            ]
            draw.polygon([*points, (w, hgt), (0, hgt)], fill=colour)
        draw.ellipse(
            [w * 0.75, hgt * 0.08, w * 0.75 + 140, hgt * 0.08 + 140], fill=light
        )
    else:  # houses: a home away from home
        ground = hgt * 0.78
        draw.rectangle([0, ground, w, hgt], fill=_mix(bottom, (0, 0, 0), 0.2))
        for i in range(5):
            x0, size = 90 + i * 220, 150 + 30 * (i % 2)
            top_y = ground - size
            draw.rectangle([x0, top_y, x0 + size, ground], fill=(250, 244, 232))
            draw.polygon(
                [
                    (x0 - 20, top_y),
                    (x0 + size / 2, top_y - 90),
                    (x0 + size + 20, top_y),
                ],
                fill=accent,
            )
            draw.rectangle(
                [x0 + size / 2 - 22, ground - 70, x0 + size / 2 + 22, ground],
                fill=bottom,
            )
            draw.rectangle([x0 + 20, top_y + 30, x0 + 60, top_y + 70], fill=light)
        draw.ellipse(
            [w * 0.82, hgt * 0.08, w * 0.82 + 110, hgt * 0.08 + 110], fill=light
        )
    buffer = BytesIO()
    img.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


RED, GOLD = (198, 40, 40), (249, 199, 79)

# key: (title, file name, motif, top colour, bottom colour, accent colour)
BANNERS = {
    "study-month": ("学习月活动", "study-month", "sunrise", (255, 204, 128), RED, GOLD),
    "logistics": (
        "物流园主题党日",
        "logistics",
        "city",
        (25, 42, 86),
        (64, 84, 140),
        GOLD,
    ),
    "logistics-night": (
        "物流园的夜晚",
        "logistics-night",
        "road",
        (20, 30, 70),
        (90, 70, 110),
        GOLD,
    ),
    "training": (
        "帮学联系人培训",
        "training",
        "book",
        (255, 236, 210),
        (214, 92, 60),
        RED,
    ),
    "volunteers": (
        "志愿服务",
        "volunteers",
        "heart",
        (255, 240, 230),
        (240, 180, 160),
        RED,
    ),
    "phone-study": (
        "手机学习",
        "phone-study",
        "phone",
        (230, 240, 250),
        (150, 180, 220),
        RED,
    ),
    "truck-driver": (
        "长途货运路上",
        "truck-driver",
        "road",
        (255, 190, 120),
        (200, 80, 60),
        (255, 240, 200),
    ),
    "caregiver": (
        "病房里的护工",
        "caregiver",
        "waves",
        (220, 244, 240),
        (40, 130, 130),
        (120, 200, 190),
    ),
    "about": ("网上党校", "about", "houses", (255, 214, 170), RED, GOLD),
}


def image_ensure(key: str, banners: dict = BANNERS, collection=None):
    """The demo image for a banner key, drawn and saved if missing."""
    Image = get_image_model()
    title, filename, motif, top, bottom, accent = banners[key]
    collection = collection or demo_collection()
    image = Image.objects.filter(collection=collection, title=title).first()
    if image is not None:
        return image
    data = banner_bytes(motif, top, bottom, accent)
    image = Image(
        title=title,
        collection=collection,
        file=ImageFile(BytesIO(data), name=f"demo-{filename}.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def document_ensure(title: str, filename: str, text: str, collection=None):
    """A demo text document, created if missing."""
    Document = get_document_model()
    collection = collection or demo_collection()
    document = Document.objects.filter(collection=collection, title=title).first()
    if document is not None:
        return document
    # The byte-order mark tells browsers the plain text is UTF-8.
    data = ("\ufeff" + text).encode("utf-8")
    document = Document(
        title=title, collection=collection, file=ContentFile(data, name=filename)
    )
    document._set_document_file_metadata()
    document.save()
    return document


# --- The content -------------------------------------------------------------

HOME_INTRO = (
    "欢迎来到流动党员网上党校。无论您在城市工地、物流园区，还是在异地门店、医院病房，"
    "打开手机就能了解支部动态、学习在线课程、交流工作体会，和家乡党组织常联系、不断线。"
)

NEWS = [
    {
        "slug": "study-month-launch",
        "title": "网上党校“学习月”活动正式启动",
        "days": 4,
        "image": "study-month",
        "intro": "本月起，网上党校面向全体在外流动党员开展“学习月”活动，"
        "课程随时可用手机收看，学习记录自动计入学时。",
        "body": [
            p(
                "为帮助在外务工、经商的党员利用零散时间坚持学习，党校本月推出“学习月”活动。"
                "活动期间，在线学习栏目集中上线党章党规、务工政策和实用技能三类课程，"
                "每节课控制在十五分钟以内，适合在午休、下班路上或者夜班间隙收看。"
            ),
            h("学习安排"),
            p(
                "各支部根据本支部流动党员的分布情况，确定每人本月至少完成两门课程。"
                "帮学联系人会通过电话或微信提醒大家；对使用手机不方便的老党员，"
                "联系人将上门送学，做到一个不落。"
            ),
            quote("不管走到哪里，学习不能断线，组织不能断联。", "党校负责同志"),
            p("学习中遇到问题，可以通过电子信箱留言，工作人员会在两个工作日内答复。"),
        ],
    },
    {
        "slug": "mobile-site-update",
        "title": "网上党校手机版改版：字更大，操作更简单",
        "days": 11,
        "intro": "根据流动党员的意见，网上党校对手机页面进行了改版，"
        "字号加大、栏目更清晰，"
        "网络信号较弱时也能较快打开。",
        "body": [
            p(
                "前期，党校通过问卷和电话回访收集了三百多条意见。不少在工地、厂区工作的党员反映，"
                "原来的页面字太小、图片加载慢，手机流量也不够用。"
            ),
            p(
                "这次改版调大了正文字号，首页只保留最新动态、推荐课程和公告通知，"
                "图片按手机屏幕大小自动压缩。年纪较大的党员也能很快找到“在线学习”入口。"
            ),
            h("怎样反馈使用问题"),
            p(
                "如果发现页面打不开、音频无法播放等情况，请在电子信箱中写明手机型号和出问题的页面，"
                "技术人员会及时处理。"
            ),
        ],
    },
    {
        "slug": "logistics-park-party-day",
        "title": "城东物流园流动党员过主题党日",
        "days": 23,
        "image": "logistics",
        "intro": "在城东物流园工作的二十多名流动党员，"
        "就近参加了园区联合党支部组织的主题党日活动。",
        "body": [
            p(
                "物流园里的党员来自五个省份，分散在分拣、运输、仓储等不同岗位，倒班时间各不相同。"
                "联合党支部把活动安排在周日晚上，大家下了班就能赶过来。"
            ),
            p(
                "活动中，党员们重温入党誓词，交流各自在岗位上遇到的难题。"
                "一位分拣员说，以前总觉得离家乡支部很远，现在在园区里也有了“家”。"
            ),
            figure(
                "logistics-night",
                "夜色中通往物流园的道路",
                "夜班结束后，党员们赶来参加活动",
            ),
            p(
                "会后，支部为每名党员建立了联系卡，约定每月通过网上党校完成学习，"
                "由帮学联系人跟进进度。"
            ),
        ],
    },
    {
        "slug": "site-study-corner",
        "title": "工地上有了“学习角”",
        "days": 38,
        "intro": "新区安置房项目部腾出一间板房，"
        "布置成流动党员的学习角，午休时也能学上一课。",
        "body": [
            p(
                "项目上有十一名流动党员，大多是钢筋工、木工和电工。工期紧的时候，"
                "他们很难按时回原籍参加组织生活。"
            ),
            p(
                "学习角里放着折叠桌椅、充电插座和一台旧电视，连上网上党校就能集体收看课程。"
                "每周三中午，党员们端着饭盒过来，边吃边听，课后再聊聊心得。"
            ),
            quote(
                "一节课十来分钟，不耽误下午干活，还能学到劳动合同和安全生产的知识。",
                "钢筋班组党员 老周",
            ),
            p("项目部表示，工程结束转场后，学习角会跟着搬到下一个工地。"),
        ],
    },
    {
        "slug": "contact-training-class",
        "title": "帮学联系人业务培训班开班",
        "days": 57,
        "image": "training",
        "intro": "来自各镇街的四十余名帮学联系人参加了为期一天的业务培训，"
        "学习如何开展“1+1”结对帮学。",
        "body": [
            p(
                "帮学联系人是连接支部和流动党员的纽带。培训围绕通知学习要求、指导自学、"
                "收集思想汇报和送学上门四项工作展开。"
            ),
            h("把送学上门做实"),
            p(
                "培训特别强调，对年老体弱、行动不便的党员，联系人要主动上门，陪同学习，"
                "并如实登记学习时长，做到学习全覆盖。"
            ),
            p(
                "培训结束时，每位联系人都开通了网上党校账号，今后可以在手机上查看结对党员的学习进度。"
            ),
        ],
    },
    {
        "slug": "home-visits",
        "title": "返乡期间支部走访流动党员家庭",
        "days": 92,
        "intro": "趁流动党员集中返乡的时机，"
        "各村党支部组织走访，听取大家对支部工作的意见。",
        "body": [
            p(
                "支部书记和村干部分成几个小组，逐户走访在外务工党员的家庭，"
                "带去了慰问品，也带去了网上党校的使用说明。"
            ),
            p(
                "座谈会上，不少党员希望多安排一些技能培训和政策解读。"
                "支部把这些意见整理成清单，交给党校作为下一阶段课程安排的参考。"
            ),
            quote(
                "人在外地，最怕和组织失去联系。支部能记着我们，心里就有底。",
                "在外务工党员 王师傅",
            ),
        ],
    },
    {
        "slug": "volunteer-clinic",
        "title": "流动党员志愿服务队走进务工人员居住区",
        "days": 126,
        "image": "volunteers",
        "intro": "由流动党员医生、护士组成的志愿服务队，"
        "在务工人员集中居住区开展义诊和健康讲座。",
        "body": [
            p(
                "服务队的八名成员都是在本市医院工作的流动党员。他们利用休息日，"
                "为两百多名务工人员量血压、测血糖，讲解防暑降温和工伤急救常识。"
            ),
            p(
                "不少务工人员平时舍不得请假看病，这次在家门口就能咨询。"
                "服务队约定每季度来一次，并留下联系方式，方便大家随时咨询。"
            ),
        ],
    },
]

ACTIVITY_CARD_CHECKLIST = """流动党员活动证办理材料清单（示范文档）

1. 本人书面说明：外出地点、工作单位、居住地址和联系电话。
2. 原党支部出具的情况说明。
3. 近期一寸证件照片两张。
4. 流动党员登记表（由支部提供，本人填写并签字）。

办理后请妥善保管活动证，到达流入地后及时与当地党组织联系。
"""

GUIDES = [
    {
        "slug": "study-on-phone",
        "title": "用手机参加网上学习的方法",
        "days": 8,
        "image": "phone-study",
        "intro": "打开网上党校，三步就能开始学习，学习时长由系统自动记录。",
        "body": [
            h("第一步：登录"),
            p(
                "用注册时填写的电子邮箱和密码登录。还没有账号的，先注册，"
                "再等所在支部确认身份。"
            ),
            h("第二步：选课"),
            p(
                "点击页面顶部的“在线学习”，按分类找到支部要求的课程。"
                "每门课分成若干节，建议按顺序学习。"
            ),
            h("第三步：学习"),
            p(
                "打开一节课，认真阅读正文或收听音频。页面保持打开时才计时，"
                "切换到别的应用会暂停计时。"
            ),
        ],
    },
    {
        "slug": "activity-card",
        "title": "流动党员活动证怎么办理",
        "days": 15,
        "intro": "外出务工、经商时间较长的党员，"
        "应当持流动党员活动证参加流入地党组织的活动。"
        "本文说明办理流程和需要准备的材料。",
        "document": True,
        "body": [
            h("谁需要办理"),
            p(
                "党员外出前，如果预计在外时间较长、工作地点不固定，无法正常参加原支部的组织生活，"
                "应当向所在党支部说明去向和联系方式，由支部报上级党组织办理活动证。"
            ),
            h("办理步骤"),
            rich(
                "<ol><li>向原支部说明外出地点、工作单位和联系方式；</li>"
                "<li>支部核实后报上级党组织，填写登记表；</li>"
                "<li>领取活动证，到达流入地后及时与当地党组织联系；</li>"
                "<li>按要求每年办理一次审核。</li></ol>"
            ),
            p(
                "活动证遗失的，要及时向原支部报告并申请补办。具体要求以所在党组织的规定为准。"
            ),
        ],
    },
    {
        "slug": "transfer-or-not",
        "title": "外出务工，组织关系要不要转",
        "days": 33,
        "intro": "很多党员外出前都会问这个问题。简单地说，"
        "要看在外时间长短和工作地点是否固定。",
        "body": [
            p(
                "在外地有了相对固定的工作单位和住所，外出时间又在六个月以上的，"
                "一般应当把组织关系转到流入地党组织，方便就近参加组织生活。"
            ),
            p(
                "工作地点经常变动，或者只是短期外出的，可以保留原组织关系，办理流动党员活动证，"
                "由原支部和流入地党组织共同做好教育管理。"
            ),
            h("转接时要注意"),
            p(
                "组织关系介绍信有有效期，请在有效期内到接收党组织报到；"
                "转出前把党费交到当月，避免出现断档。"
            ),
            quote(
                "无论组织关系在哪里，按时参加组织生活、交纳党费、完成学习，都是每名党员的本分。"
            ),
        ],
    },
    {
        "slug": "dues-while-away",
        "title": "在外地怎样按时交纳党费",
        "days": 70,
        "intro": "人在外地，党费也不能断。下面介绍几种常见的交纳方式。",
        "body": [
            p(
                "保留原组织关系的流动党员，一般仍向原支部交纳党费。支部开通了手机转账的，"
                "可以按月转给支部指定的收款人，并在备注中写明姓名和月份。"
            ),
            p("已经把组织关系转到流入地的，向流入地党组织交纳。"),
            h("收入有变化怎么办"),
            p(
                "收入变化较大时，可以主动向支部说明，按实际收入重新确定交纳标准。"
                "确有困难的，要及时和支部沟通。"
            ),
        ],
    },
]

ANNOUNCEMENTS = [
    {
        "slug": "annual-study-check",
        "title": "关于核对年度学习记录的通知",
        "days": 6,
        "intro": "请各位流动党员在本月底前登录网上党校，核对本人今年的学习记录。",
        "body": [
            p(
                "为准确统计流动党员年度学习情况，党校将于下月初汇总各支部的学习台账。"
                "请大家登录后查看本人的课程完成情况和学时。",
                "如发现漏记、错记，请联系所在支部或帮学联系人说明情况；"
                "线下学习和送学上门的记录由联系人补录。",
                "特此通知。",
            ),
        ],
    },
    {
        "slug": "maintenance-notice",
        "title": "网上党校系统维护公告",
        "days": 19,
        "intro": "为提升访问速度，网上党校将于本周六晚十点至次日凌晨两点进行系统维护。",
        "body": [
            p(
                "维护期间网站可能无法访问，已有的学习记录不受影响。给大家带来不便，敬请谅解。"
            ),
        ],
    },
    {
        "slug": "call-for-voice-articles",
        "title": "“流动党员之声”栏目征稿启事",
        "days": 45,
        "intro": "欢迎在外工作、生活的党员投稿，讲讲身边的事，说说心里的话。",
        "body": [
            p(
                "稿件可以是工作中的体会、学习中的收获，也可以是对支部工作的建议。"
                "题材不限，字数在三百到一千五百字之间为宜。",
                "登录后在“流动党员之声”栏目提交稿件，编辑审核后刊登。"
                "来稿请署真实姓名，刊登时可以使用笔名。",
            ),
        ],
    },
]

SHOWCASE = [
    {
        "slug": "truck-driver-wang",
        "title": "货车司机王建国：车轮上的党员先锋",
        "days": 20,
        "image": "truck-driver",
        "intro": "开了十五年货车的王建国，手机里存着网上党校的课程，"
        "也存着一份沿途互助司机的名单。",
        "body": [
            p(
                "王建国常年跑长途运输，一年有大半时间在路上。服务区休息时，"
                "他会打开网上党校听一节课，用他的话说，“跑车累，学一会儿反倒提神”。"
            ),
            p(
                "有一年冬天，他在高速上遇到一辆抛锚的货车，司机第一次跑这条线。"
                "王建国帮着联系救援，一直陪到半夜。后来，他把认识的几十位司机拉进一个互助群，"
                "谁在路上遇到困难，大家就近帮忙。"
            ),
            quote("党员的身份不能只写在档案里，关键时候要站得出来。", "王建国"),
            p("今年，王建国被所在支部推荐为优秀流动党员。"),
        ],
    },
    {
        "slug": "caregiver-li",
        "title": "护工李秀兰：异乡病房里的贴心人",
        "days": 64,
        "image": "caregiver",
        "intro": "在省城一家医院做护工的李秀兰，把党员的责任落在一件件小事上。",
        "body": [
            p(
                "李秀兰护理的大多是行动不便的老人。她记得每位老人的饮食习惯和用药时间，"
                "闲下来就给他们读报纸、讲新闻。"
            ),
            p(
                "医院护工流动性大，新人常常手忙脚乱。李秀兰把自己的经验写成一张护理要点卡，"
                "分给新来的姐妹，还组织大家在手机上一起学习急救知识。"
            ),
            p("她说，离家在外，支部的一个电话、一条学习提醒，都让她觉得自己没有掉队。"),
        ],
    },
    {
        "slug": "rider-zhao",
        "title": "外卖骑手赵磊：穿街走巷送温暖",
        "days": 110,
        "intro": "骑手赵磊熟悉片区的每一条小巷，也记得每一位独居老人的门牌号。",
        "body": [
            p(
                "送餐途中，赵磊发现片区里有几位独居老人常点外卖，有时电话打不通。"
                "他和社区商量好，送餐时顺便看看老人的情况，发现异常及时告诉社区网格员。"
            ),
            p(
                "在他的带动下，站点的十几名骑手组成了志愿小组，利用送餐间隙帮老人取药、缴费。"
            ),
        ],
    },
]

VOICES = [
    {
        "slug": "learning-on-the-road",
        "title": "在路上学习",
        "author_name": "陈志强",
        "days": 9,
        "intro": "一名建筑工人的学习笔记：每天通勤四十分钟，正好听完一节课。",
        "body": [
            p(
                "我在上海做木工，住的地方离工地十几公里，每天坐班车来回。"
                "以前在车上刷短视频，一晃就过去了。去年支部的联系人教我用网上党校，"
                "我就把通勤时间变成了学习时间。"
            ),
            p(
                "刚开始有点坐不住，后来发现课程讲的都是身边事：怎么签劳动合同，"
                "工资被拖欠了找谁，组织关系怎么转。这些知识真用得上，我还讲给班组里的工友听。"
            ),
            quote("学习不一定要坐在教室里，路上也是课堂。", "陈志强"),
            p("现在我每个月都能按计划完成学习。支部书记打电话表扬我，我心里挺高兴。"),
        ],
    },
    {
        "slug": "call-from-branch",
        "title": "支部的电话让我心里踏实",
        "author_name": "刘春梅",
        "days": 31,
        "intro": "离家第三年，我第一次觉得自己和支部离得这么近。",
        "body": [
            p(
                "我在深圳一家电子厂上班，组织关系还在老家村里。刚出来那两年，"
                "除了按时交党费，和支部联系很少，总觉得自己像个“编外”党员。"
            ),
            p(
                "去年，村支部给每个在外的党员安排了帮学联系人。我的联系人是村里的张老师，"
                "每个月都会打电话问我的学习情况，也问工作和生活上有没有难处。"
            ),
            p(
                "有一次厂里拖欠工资，我在电话里随口提了一句。张老师帮我查了相关政策，"
                "告诉我该找哪个部门反映。问题解决后，我特意给支部写了一封感谢信。"
            ),
            p("现在我觉得，人在外地，组织就在身边。"),
        ],
    },
    {
        "slug": "letter-home",
        "title": "写给家乡支部的一封信",
        "author_name": "周海涛",
        "days": 77,
        "intro": "一位在外经商党员的心里话：希望支部多组织一些线上交流。",
        "body": [
            p(
                "支部的同志们：你们好！我在成都开了一家小餐馆，算起来已经出来八年了。"
                "每次回老家，大家都关心我的生意，我也很想念支部的同志。"
            ),
            p(
                "这两年参加网上党校学习，收获很多。我有个小建议：能不能每个季度组织一次线上交流，"
                "让分散在各地的党员说说近况、交流经验？大家在外各有各的难处，也各有各的办法，"
                "互相学习一定有帮助。"
            ),
            p("祝支部工作顺利！"),
        ],
    },
]

COLUMNS = [
    # (index model, slug, title, intro, article model, articles)
    (
        NewsIndexPage,
        "news",
        "党建动态",
        "各地流动党员党建工作的新消息。",
        NewsPage,
        NEWS,
    ),
    (
        GuideIndexPage,
        "guides",
        "党务指南",
        "外出党员常遇到的党务问题，一看就懂。",
        GuidePage,
        GUIDES,
    ),
    (
        AnnouncementIndexPage,
        "announcements",
        "公告通知",
        "党校和各支部发布的通知公告。",
        AnnouncementPage,
        ANNOUNCEMENTS,
    ),
    (
        ShowcaseIndexPage,
        "showcase",
        "党员风采",
        "在各行各业发光发热的流动党员。",
        ShowcasePage,
        SHOWCASE,
    ),
    (
        VoiceIndexPage,
        "voice",
        "流动党员之声",
        "流动党员写下的工作体会、学习心得和意见建议。",
        VoicePage,
        VOICES,
    ),
]

ABOUT = {
    "slug": "about",
    "title": "关于我们",
    "intro": "流动党员网上党校是为在外务工、经商、求学的党员提供学习和服务的网上平台。",
    "body": [
        figure("about", "一排温暖的小房子：在外也有一个家"),
        h("我们做什么"),
        p(
            "网上党校设有党建动态、党务指南、在线学习、公告通知、党员风采和流动党员之声等栏目。"
            "党员可以用手机随时学习课程，学习时长自动记录并计入学时。",
            "支部为每名流动党员安排帮学联系人，开展“1+1”结对帮学：通知学习要求、指导自学、"
            "听取思想汇报，对行动不便的党员送学上门。",
        ),
        h("联系我们"),
        p(
            "对学习和使用有疑问或建议，请通过电子信箱留言，工作人员会在两个工作日内答复。"
            "也可以直接联系您所在的党支部。"
        ),
    ],
}


def seed(*, stdout):
    home = home_page()
    if not home.intro:
        home.intro = HOME_INTRO
        home.save_revision().publish()
        home = home_page()

    collection = demo_collection()
    images = {key: image_ensure(key, collection=collection) for key in BANNERS}
    checklist = document_ensure(
        "流动党员活动证办理材料清单",
        "activity-card-checklist.txt",
        ACTIVITY_CARD_CHECKLIST,
        collection=collection,
    )

    created = 0
    for index_model, slug, title, intro, article_model, articles in COLUMNS:
        index, new = page_ensure(
            home,
            index_model(
                title=title, slug=slug, intro=f"<p>{intro}</p>", show_in_menus=True
            ),
        )
        created += new
        # Oldest first, so that the tree's order matches the dates.
        for spec in sorted(articles, key=lambda item: -item["days"]):
            body = resolve_body(spec["body"], images)
            if spec.get("document"):
                body.append(
                    ("document", {"document": checklist, "title": "下载：办理材料清单"})
                )
            extra = (
                {"author_name": spec["author_name"]} if "author_name" in spec else {}
            )
            page = article_model(
                title=spec["title"],
                slug=spec["slug"],
                date=days_ago(spec["days"]),
                intro=spec["intro"],
                image=images.get(spec.get("image")),
                body=body,
                **extra,
            )
            created += page_ensure(index, page)[1]

    about = StandardPage(
        title=ABOUT["title"],
        slug=ABOUT["slug"],
        intro=ABOUT["intro"],
        body=resolve_body(ABOUT["body"], images),
        show_in_menus=True,
    )
    created += page_ensure(home, about)[1]
    stdout.write(f"home: {created} page(s) created")

    # What members write in: the FAQ, voice submissions, mailbox questions.
    from . import member_demo

    member_demo.seed(stdout=stdout)
