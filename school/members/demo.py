"""Demo accounts, one per role, with fixed passwords documented in the README.

The passwords are public: these accounts exist for trying the site out only.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    username: str
    password: str
    first_name: str = ""
    last_name: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    phone: str = ""  # verified; members log in with it too


ADMIN = DemoAccount(
    role="管理员",
    email="admin@example.com",
    username="admin",
    password="demo-admin-2026",  # noqa: S106
    first_name="管理员",
    is_staff=True,
    is_superuser=True,
)

ORGANISER = DemoAccount(
    role="支部管理员（深圳宝安流动党员党支部）",
    email="organiser@example.com",
    username="organiser",
    password="demo-organiser-2026",  # noqa: S106
    first_name="李建国",
)
EDITOR = DemoAccount(
    role="编辑",
    email="editor@example.com",
    username="editor",
    password="demo-editor-2026",  # noqa: S106
    first_name="王芳",
)
MEMBER = DemoAccount(
    role="党员（已确认）",
    email="member@example.com",
    username="member",
    password="demo-member-2026",  # noqa: S106
    first_name="张伟",
    phone="+8613800138001",
)
PENDING_MEMBER = DemoAccount(
    role="党员（待确认）",
    email="pending@example.com",
    username="pending",
    password="demo-pending-2026",  # noqa: S106
    first_name="陈静",
    phone="+8613900139002",
)

ACCOUNTS = [ADMIN, ORGANISER, EDITOR, MEMBER, PENDING_MEMBER]

# (code, name, location); the organiser runs the first.
BRANCHES = [
    ("SZBA-LD01", "深圳宝安流动党员党支部", "广东省深圳市宝安区"),
    ("DGCA-LD01", "东莞长安流动党员党支部", "广东省东莞市长安镇"),
]

# The member file of each demo member (branch by code).
PROFILES = {
    MEMBER.email: {
        "real_name": "张伟",
        "branch": "SZBA-LD01",
        "mobile": "13800138001",
        "moved_out_on": "2021-03-15",
        "move_reason": "work",
        "current_city": "深圳",
        "current_address": "宝安区西乡街道劳动路 8 号",
        "employer": "深圳某电子科技有限公司 装配工",
        "activity_card_number": "SZBA-2021-018",
        "card_reviewed_on": "2025-11-20",
    },
    PENDING_MEMBER.email: {
        "real_name": "陈静",
        "branch": "SZBA-LD01",
        "mobile": "13900139002",
        "moved_out_on": "2025-08-01",
        "move_reason": "business",
        "current_city": "深圳",
        "current_address": "宝安区新安街道裕安路 21 号",
        "employer": "个体经营 餐饮",
        "activity_card_number": "",
        "card_reviewed_on": None,
    },
}


# More members of the Shenzhen Bao'an branch, in the other cities where its
# members work now, for the whereabouts ledger (流向台账): each has a moving
# history, dated `days` ago (a new city, address or employer). 孙海涛 joined
# long ago and has not been heard from since (失联风险).
LEDGER_MEMBERS = [
    {
        "email": "zhoujianhua@example.com",
        "joined_days": 400,
        "last_login_days": 45,
        "profile": {
            "real_name": "周建华",
            "mobile": "13800138021",
            "moved_out_on": "2024-06-01",
            "move_reason": "work",
            "current_city": "深圳",
            "current_address": "宝安区福永街道凤凰路 3 号",
            "employer": "深圳某模具厂 钳工",
        },
        "moves": [
            (
                45,
                {
                    "current_city": "东莞",
                    "current_address": "长安镇乌沙社区兴发南路 12 号",
                    "employer": "东莞某五金制品有限公司 班组长",
                },
            )
        ],
    },
    {
        "email": "wulijuan@example.com",
        "joined_days": 300,
        "last_login_days": 12,
        "profile": {
            "real_name": "吴丽娟",
            "mobile": "13800138022",
            "moved_out_on": "2023-09-10",
            "move_reason": "business",
            "current_city": "惠州",
            "current_address": "惠城区江北街道文昌一路 7 号",
            "employer": "个体经营 服装店",
        },
        "moves": [],
    },
    {
        "email": "sunhaitao@example.com",
        "joined_days": 200,
        "last_login_days": None,
        "profile": {
            "real_name": "孙海涛",
            "mobile": "13800138023",
            "moved_out_on": "2022-02-20",
            "move_reason": "work",
            "current_city": "广州",
            "current_address": "白云区太和镇大源村",
            "employer": "建筑工地 木工",
        },
        "moves": [],
    },
]


def email_verified_ensure(user) -> None:
    """Mark the demo address verified: allauth refuses unverified logins."""
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )


def account_ensure(account: DemoAccount):
    """The account's user, created with its demo password if missing."""
    User = get_user_model()
    user = User.objects.filter(email=account.email).first()
    if user is not None:
        email_verified_ensure(user)
        if account.phone and not user.phone:
            if not User.objects.filter(phone=account.phone).exists():
                user.phone, user.phone_verified = account.phone, True
                user.save(update_fields=["phone", "phone_verified"])
        return user, False
    user = User(
        email=account.email,
        username=account.username,
        first_name=account.first_name,
        last_name=account.last_name,
        is_staff=account.is_staff,
        is_superuser=account.is_superuser,
        phone=account.phone,
        phone_verified=bool(account.phone),
    )
    user.set_password(account.password)
    user.save()
    email_verified_ensure(user)
    return user, True


def branches_ensure():
    from .models import Branch

    return [
        Branch.objects.get_or_create(
            code=code, defaults={"name": name, "location": location}
        )[0]
        for code, name, location in BRANCHES
    ]


def roles_ensure(users):
    from django.contrib.auth.models import Group

    from .models import Branch
    from .roles import EDITORS_GROUP, ORGANISERS_GROUP

    users[EDITOR.email].groups.add(Group.objects.get(name=EDITORS_GROUP))
    organiser = users[ORGANISER.email]
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    Branch.objects.get(code=BRANCHES[0][0]).organisers.add(organiser)


def profiles_ensure(users):
    """Demo members go through the same services as real ones: profile with
    consent, then the organiser confirms (or not yet)."""
    import datetime

    from django.conf import settings

    from . import services
    from .models import Branch, MemberProfile

    for email, data in PROFILES.items():
        user = users[email]
        if MemberProfile.objects.filter(user=user).exists():
            continue
        data = {
            **data,
            "branch": Branch.objects.get(code=data["branch"]),
            **{
                key: datetime.date.fromisoformat(value)
                for key, value in data.items()
                if key in ("moved_out_on", "card_reviewed_on") and value
            },
        }
        profile = services.profile_create(
            user=user, data=data, consent_version=settings.SCHOOL_CONSENT_VERSION
        )
        if email == MEMBER.email:
            services.profile_confirm(profile=profile, by=users[ORGANISER.email])


def ledger_members_ensure(organiser) -> int:
    """The ledger's demo members, created, confirmed and moved through the
    services, then dated back; left alone if they exist."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from . import services
    from .models import Branch, MemberProfile, WhereaboutsEntry

    User = get_user_model()
    branch = Branch.objects.get(code=BRANCHES[0][0])
    now = timezone.now()
    added = 0
    for plan in LEDGER_MEMBERS:
        if User.objects.filter(email=plan["email"]).exists():
            continue
        user = User.objects.create_user(
            username=plan["email"].split("@")[0], email=plan["email"], password=None
        )
        data = {
            **plan["profile"],
            "branch": branch,
            "moved_out_on": datetime.date.fromisoformat(
                plan["profile"]["moved_out_on"]
            ),
            "activity_card_number": "",
            "card_reviewed_on": None,
        }
        profile = services.profile_create(
            user=user, data=data, consent_version=settings.SCHOOL_CONSENT_VERSION
        )
        services.profile_confirm(profile=profile, by=organiser)
        joined = now - datetime.timedelta(days=plan["joined_days"])
        MemberProfile.objects.filter(pk=profile.pk).update(created_at=joined)
        User.objects.filter(pk=user.pk).update(date_joined=joined)
        WhereaboutsEntry.objects.filter(member=profile).update(recorded_at=joined)
        for days, facts in plan["moves"]:
            profile.refresh_from_db()
            services.profile_update(
                profile=profile,
                data={
                    **{f: getattr(profile, f) for f in services.PROFILE_FIELDS},
                    **facts,
                },
            )
            latest = profile.whereabouts.order_by("-pk").first()
            WhereaboutsEntry.objects.filter(pk=latest.pk).update(
                recorded_at=now - datetime.timedelta(days=days)
            )
        if plan["last_login_days"] is not None:
            User.objects.filter(pk=user.pk).update(
                last_login=now - datetime.timedelta(days=plan["last_login_days"])
            )
        added += 1
    return added


def seed(*, stdout):
    results = {account.email: account_ensure(account) for account in ACCOUNTS}
    users = {email: user for email, (user, _created) in results.items()}
    created = [email for email, (_user, was_created) in results.items() if was_created]
    branches_ensure()
    roles_ensure(users)
    profiles_ensure(users)
    ledger_members_ensure(users[ORGANISER.email])
    stdout.write(
        f"members: {len(created)} demo account(s) created, "
        f"{len(BRANCHES)} branches ready"
    )
    return [
        f"{account.role} login: {account.email}"
        + (f" or {account.phone.removeprefix('+86')}" if account.phone else "")
        + f" / password: {account.password}"
        for account in ACCOUNTS
    ]
