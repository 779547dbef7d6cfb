"""Demo courses: the online study column with categories, courses and lessons,
one lesson carrying a generated audio file. Idempotent like home.demo."""

import math
import struct
import wave
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from wagtailmedia.models import get_media_model

from home.demo import (
    demo_collection,
    h,
    home_page,
    image_ensure,
    p,
    page_ensure,
    quote,
    rich,
)
from home.models import HomeFeaturedCourse, HomePage

from .models import CourseCategory, CourseIndexPage, CoursePage, LessonPage
from .pairing import demo as pairing_demo

SAMPLE_RATE = 22_050
# A rising C-major chime: (frequency in Hz, seconds).
CHIME = [(523.25, 0.8), (659.25, 0.8), (783.99, 0.8), (1046.5, 1.6)]

COVERS = {
    "cover-basics": (
        "党章党规基础",
        "cover-basics",
        "book",
        (255, 228, 200),
        (190, 40, 40),
        (249, 199, 79),
    ),
    "cover-rights": (
        "外出务工政策与权益保障",
        "cover-rights",
        "city",
        (210, 226, 246),
        (46, 72, 130),
        (249, 199, 79),
    ),
    "cover-skills": (
        "实用技能：手机办事与安全",
        "cover-skills",
        "phone",
        (226, 246, 236),
        (40, 130, 100),
        (198, 40, 40),
    ),
}

CATEGORIES = ["理论学习", "政策法规", "实用技能"]

AUDIO_TITLE = "音频微课：入党誓词里的承诺（演示音频）"

COURSES = [
    {
        "slug": "party-constitution-basics",
        "title": "党章党规基础",
        "category": "理论学习",
        "hours": Decimal("2.0"),
        "cover": "cover-basics",
        "summary": "从党员的义务和权利讲起，结合流动党员的实际，"
        "讲清楚在外地怎样过好组织生活、"
        "和支部保持联系。",
        "body": [
            p(
                "本课程共四节，适合全体流动党员学习。建议按顺序学习，"
                "每学完一节，想一想自己在外地是怎样做的。"
            )
        ],
        "lessons": [
            {
                "slug": "duties-and-rights",
                "title": "党员的义务和权利",
                "minutes": 15,
                "intro": "了解党章规定的党员义务和权利，明白它们在外地同样适用。",
                "body": [
                    p(
                        "党章既规定了党员必须履行的义务，也规定了党员享有的权利。"
                        "无论在家乡还是在外地，党员的身份不变，义务和权利也不变。"
                    ),
                    h("义务落在岗位上"),
                    p(
                        "党章对党员在学习、遵守纪律、联系群众等方面提出了明确要求。"
                        "落到流动党员身上，就是在工作岗位上带头，在身边群众中做表率。"
                    ),
                    h("权利怎么行使"),
                    p(
                        "党员有权参加党的有关会议、接受党的教育和培训，对党的工作提出建议。"
                        "身在外地，可以通过电子信箱、帮学联系人或者流入地党组织反映意见。"
                    ),
                ],
            },
            {
                "slug": "organisational-life-away",
                "title": "在外地怎样参加组织生活",
                "minutes": 12,
                "intro": "回原支部、就近参加、线上参加，三种方式怎么选。",
                "body": [
                    p(
                        "组织生活是党员教育管理的重要方式。流动党员可以回原支部参加，"
                        "也可以持流动党员活动证，就近参加流入地党组织的活动。"
                    ),
                    h("三种常见方式"),
                    rich(
                        "<ul><li>就近参加：到工作地附近的党组织报到，参加主题党日等活动；</li>"
                        "<li>间隙参加：利用休息日或倒班间隙，参加小型、灵活的活动；</li>"
                        "<li>线上参加：通过网上党校学习、提交思想汇报。</li></ul>"
                    ),
                    p("无论哪种方式，都要及时向原支部报告参加情况，方便支部掌握。"),
                ],
            },
            {
                "slug": "oath-audio",
                "title": "音频微课：入党誓词里的承诺",
                "minutes": 8,
                "audio": True,
                "intro": "本节是音频课，可以一边做事一边收听。",
                "body": [
                    p(
                        "入党誓词只有短短几十个字，却包含了一名党员对组织的全部承诺。"
                        "请先收听音频，再阅读下面的学习要点。"
                    ),
                    h("学习要点"),
                    p(
                        "誓词中的每一句话，都能和日常工作生活联系起来：遵守纪律，"
                        "就是在岗位上守规矩；严守秘密，就是不随意传播未经核实的消息；"
                        "对党忠诚，就是无论走到哪里都不忘自己的身份。"
                    ),
                ],
            },
            {
                "slug": "keeping-in-touch",
                "title": "和支部保持经常联系",
                "minutes": 10,
                "intro": "去向有变化，第一时间告诉支部。",
                "body": [
                    p(
                        "流动党员外出后，要主动向支部报告去向、工作单位和联系方式，"
                        "有变化时及时更新。",
                        "支部每季度至少和每名流动党员联系一次，了解思想、工作和学习情况。"
                        "帮学联系人会把大家的困难和建议带回支部。",
                    ),
                    quote("人走到哪里，联系就跟到哪里。"),
                ],
            },
        ],
    },
    {
        "slug": "worker-rights",
        "title": "外出务工政策与权益保障",
        "category": "政策法规",
        "hours": Decimal("1.5"),
        "cover": "cover-rights",
        "summary": "讲解劳动合同、工资支付、社会保险等与外出务工密切相关的政策，"
        "帮助党员维护好自己和工友的合法权益。",
        "body": [p("本课程共三节，结合务工中常见的情形讲解政策要点。")],
        "lessons": [
            {
                "slug": "labour-contract",
                "title": "签订劳动合同要注意什么",
                "minutes": 12,
                "intro": "看清条款再签字，自己留好一份。",
                "body": [
                    p(
                        "用人单位应当自用工之日起一个月内与劳动者订立书面劳动合同。"
                        "签合同前，要看清工作内容、工作地点、工资标准和发放时间、"
                        "工作时间和休息休假、社会保险等条款。"
                    ),
                    h("几个提醒"),
                    rich(
                        "<ul><li>合同一式两份，自己留存一份；</li>"
                        "<li>不要在空白合同上签字；</li>"
                        "<li>试用期包含在合同期限内，试用期工资不得低于约定工资的百分之八十。</li></ul>"
                    ),
                ],
            },
            {
                "slug": "unpaid-wages",
                "title": "遇到拖欠工资怎么办",
                "minutes": 10,
                "intro": "先协商，留证据，走正规渠道。",
                "body": [
                    p(
                        "先和用人单位协商，同时保留好考勤记录、工资条、聊天记录等证据。"
                        "协商不成的，可以向当地劳动保障监察机构投诉，或者申请劳动争议仲裁，"
                        "也可以拨打12333人社服务热线咨询。",
                        "党员遇到这类问题，既要依法维护自己的权益，"
                        "也可以帮助身边工友了解正确的维权渠道。",
                    ),
                ],
            },
            {
                "slug": "social-insurance-transfer",
                "title": "社保关系异地转移接续",
                "minutes": 12,
                "intro": "换了城市，社保不白交。",
                "body": [
                    p(
                        "换城市工作后，养老保险、医疗保险可以办理转移接续，缴费年限累计计算。",
                        "现在可以通过国家社会保险公共服务平台或者手机上的政务服务应用在线申请，"
                        "不必来回跑。",
                    ),
                    quote("提前了解政策，换工作时才不吃亏。"),
                ],
            },
        ],
    },
    {
        "slug": "phone-skills",
        "title": "实用技能：手机办事与安全",
        "category": "实用技能",
        "hours": Decimal("1.0"),
        "cover": "cover-skills",
        "summary": "学会用手机办理常见事务，识别常见的网络诈骗，"
        "让手机成为学习和生活的好帮手。",
        "body": [p("本课程共三节，适合刚开始用智能手机办事的党员。")],
        "lessons": [
            {
                "slug": "government-services-online",
                "title": "用手机办理常见政务服务",
                "minutes": 10,
                "intro": "很多事情不用再请假回老家办。",
                "body": [
                    p(
                        "查询社保缴费记录、办理居住证、预约证件补办等，很多事情都可以在手机上完成。",
                        "办理时要通过官方渠道进入，核对网址和应用名称，不要点击来历不明的链接。",
                    ),
                ],
            },
            {
                "slug": "avoid-fraud",
                "title": "识别常见的电信网络诈骗",
                "minutes": 12,
                "intro": "冒充客服、刷单返利、冒充熟人借钱，都是骗局。",
                "body": [
                    p("冒充客服退款、刷单返利、冒充熟人借钱，是最常见的几种骗局。"),
                    h("记住三个“不”"),
                    p(
                        "不轻信陌生来电，不点击陌生链接，不向陌生账户转账。"
                        "遇到可疑情况，可以拨打96110反诈专线咨询。"
                    ),
                ],
            },
            {
                "slug": "first-aid-basics",
                "title": "工作场所常见急救常识",
                "minutes": 15,
                "intro": "简单实用的急救知识，关键时刻能帮到工友。",
                "body": [
                    p(
                        "遇到有人受伤，先确保现场安全，再拨打120急救电话，说清地点和伤情。",
                        "伤口出血时，用干净的布按压止血；怀疑骨折时，不要随意搬动伤者。",
                    ),
                ],
            },
        ],
    },
]


def chime_wav() -> tuple[bytes, float]:
    """A short real WAV file (16-bit mono): a rising chime of four notes."""
    frames = bytearray()
    for frequency, seconds in CHIME:
        count = int(SAMPLE_RATE * seconds)
        for i in range(count):
            t = i / SAMPLE_RATE
            envelope = min(1.0, t / 0.02) * math.exp(-3 * t / seconds)
            sample = math.sin(2 * math.pi * frequency * t) + 0.3 * math.sin(
                4 * math.pi * frequency * t
            )
            frames += struct.pack("<h", int(20_000 * envelope * sample / 1.3))
    buffer = BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(bytes(frames))
    return buffer.getvalue(), sum(seconds for _, seconds in CHIME)


def audio_ensure(collection):
    """The demo lesson's audio, generated and saved if missing."""
    Media = get_media_model()
    media = Media.objects.filter(collection=collection, title=AUDIO_TITLE).first()
    if media is not None:
        return media
    data, duration = chime_wav()
    media = Media(
        title=AUDIO_TITLE,
        type="audio",
        duration=duration,
        collection=collection,
        file=ContentFile(data, name="demo-oath-chime.wav"),
    )
    media.save()
    return media


def course_index_ensure(home) -> tuple[CourseIndexPage, bool]:
    index, created = page_ensure(
        home,
        CourseIndexPage(
            title="在线学习",
            slug="courses",
            intro="<p>课程按主题分类，每节课十分钟左右，可以利用工作间隙用手机学习。"
            "学完的课时自动计入本人的学习记录。</p>",
            show_in_menus=True,
        ),
    )
    news = home.get_children().filter(slug="news").first()
    if created and news is not None:
        # Second in the menu, right after the news column.
        index.move(news, pos="right")
        index = CourseIndexPage.objects.get(pk=index.pk)
    return index, created


def lesson_body(spec, audio):
    body = list(spec["body"])
    if spec.get("audio"):
        block = (
            "audio",
            {
                "media": audio,
                "title": "收听本节音频",
                "transcript": "这是一段演示用的提示音，用来展示课时中的音频播放。"
                "正式课程的音频由讲解老师录制，文字稿放在这里，方便不便收听的党员阅读。",
            },
        )
        body.insert(1, block)
    return body


def featured_courses_ensure(home: HomePage, courses: list[CoursePage]) -> bool:
    """Feature the demo courses on the front page unless editors chose some."""
    if home.featured_courses.exists():
        return False
    for course in courses:
        home.featured_courses.add(HomeFeaturedCourse(course=course))
    home.save_revision().publish()
    return True


def seed(*, stdout):
    home = home_page()
    collection = demo_collection()
    categories = {
        name: CourseCategory.objects.get_or_create(
            name=name, defaults={"sort_order": order}
        )[0]
        for order, name in enumerate(CATEGORIES, start=1)
    }
    audio = audio_ensure(collection)
    index, new = course_index_ensure(home)
    created = int(new)
    courses = {}
    # The course list shows the newest first: create the first course last.
    for spec in reversed(COURSES):
        course, new = page_ensure(
            index,
            CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                category=categories[spec["category"]],
                study_hours=spec["hours"],
                cover_image=image_ensure(spec["cover"], COVERS, collection),
                body=spec["body"],
            ),
        )
        created += new
        courses[spec["slug"]] = course
        for lesson in spec["lessons"]:
            page = LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                intro=lesson["intro"],
                estimated_minutes=lesson["minutes"],
                body=lesson_body(lesson, audio),
            )
            created += page_ensure(course, page)[1]
    # The demo member's study (plan, online and offline records) needs the
    # lessons above and the demo accounts (members' demo runs first).
    from .study_demo import seed as study_seed

    study_seed(stdout=stdout)
    featured_courses_ensure(
        HomePage.objects.get(pk=home.pk), [courses[spec["slug"]] for spec in COURSES]
    )
    stdout.write(f"courses: {created} page(s) created")
    # The "1+1" pairing demo needs the lessons above and the demo accounts.
    return pairing_demo.seed(stdout=stdout)
