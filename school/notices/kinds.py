"""Every notice the school sends, in one table: what it is about (its topic,
which decides the channels a person chose for it), its title and text for the
site and e-mail, and its SMS.

SMS texts are registered with the provider as templates (mainland rules): each
is one SMS (70 characters with the 【signature】), carries a link to the notice
on the site (the member's own link, never another person's data), and its
variables, in order, are `sms_params`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Topic:
    SECURITY = "security"
    ACCOUNT = "account"
    STUDY = "study"
    REMINDERS = "reminders"
    SALON = "salon"
    REPLIES = "replies"
    BRANCH = "branch"
    WORK = "work"


# Topics a person chooses channels for, in the order the profile shows them.
# Security codes are not among them: they always go to the number or address
# being verified.
TOPIC_CHOICES = [
    (Topic.ACCOUNT, _("My membership (confirmed or not by the branch)")),
    (Topic.STUDY, _("New study plans")),
    (Topic.REMINDERS, _("Study reminders and the study contact's weekly digest")),
    (Topic.SALON, _("Red salon seats and messages from its organisers")),
    (Topic.REPLIES, _("Answers in the mailbox and decisions on my articles")),
    (Topic.BRANCH, _("Messages from my branch")),
    (Topic.WORK, _("Work for staff: profiles to confirm, mailbox questions")),
]
CHANNELS = ("sms", "email")


@dataclass(frozen=True)
class Kind:
    topic: str
    subject: str  # lazy; formatted with the context (%(name)s)
    template: str  # plain-text body, for the site and the e-mail
    sms: str  # lazy; formatted with the context and `link`
    sms_params: tuple[str, ...] = ("link",)


KINDS = {
    "phone_code": Kind(
        Topic.SECURITY,
        _("Your verification code"),
        "",
        _(
            "Your verification code is %(code)s, valid for %(minutes)s minutes. "
            "Never tell it to anyone."
        ),
        ("code", "minutes"),
    ),
    # Someone signed up with a number that has an account: only its owner
    # hears of it, so that the sign-up form tells a stranger nothing.
    "phone_taken": Kind(
        Topic.SECURITY,
        _("Someone tried to sign up with your number"),
        "",
        _(
            "Your number already has a school account: log in, or log in by "
            "code if you forgot the password: %(link)s"
        ),
    ),
    "profile_confirmed": Kind(
        Topic.ACCOUNT,
        _("Your branch has confirmed your membership"),
        "members/email/profile_confirmed_message.txt",
        _("Your branch has confirmed your membership: %(link)s"),
    ),
    "profile_rejected": Kind(
        Topic.ACCOUNT,
        _("Your branch could not confirm your member profile"),
        "members/email/profile_rejected_message.txt",
        _("Your branch could not confirm your profile; see why: %(link)s"),
    ),
    "profile_pending": Kind(
        Topic.WORK,
        _("New member profile to confirm: %(name)s"),
        "members/email/profile_pending_message.txt",
        _("A member profile waits for your confirmation: %(link)s"),
    ),
    "study_plan_announced": Kind(
        Topic.STUDY,
        _("New study plan: %(title)s"),
        "courses/email/study_plan_announced.txt",
        _("Your branch has a new study plan: %(link)s"),
    ),
    "overdue_reminder": Kind(
        Topic.REMINDERS,
        _("Study reminder: overdue items in your study plan"),
        "courses/email/overdue_reminder.txt",
        _("Your study plan has overdue items: %(link)s"),
    ),
    "contact_digest": Kind(
        Topic.REMINDERS,
        _("Paired study this week: %(count)s members need you"),
        "courses/email/contact_digest.txt",
        _("Paired members need your contact this week: %(link)s"),
    ),
    "salon_promoted": Kind(
        Topic.SALON,
        _("Your seat at the red salon is confirmed"),
        "salon/email/promoted.txt",
        _("A red salon seat is now yours (from the waiting list): %(link)s"),
    ),
    "salon_cancelled": Kind(
        Topic.SALON,
        _("The red salon is called off"),
        "salon/email/cancelled.txt",
        _("A red salon you signed up for is called off: %(link)s"),
    ),
    "salon_changed": Kind(
        Topic.SALON,
        _("The red salon's time or place has changed"),
        "salon/email/changed.txt",
        _("A red salon you signed up for has a new time or place: %(link)s"),
    ),
    "salon_message": Kind(
        Topic.SALON,
        _("Message about the red salon: %(subject)s"),
        "salon/email/group_message.txt",
        _("The red salon's organiser sent you a message: %(link)s"),
    ),
    "submission_published": Kind(
        Topic.REPLIES,
        _("Your article is published: %(title)s"),
        "home/email/submission_published.txt",
        _("Your article is published: %(link)s"),
    ),
    "submission_changes_requested": Kind(
        Topic.REPLIES,
        _("Your article needs changes: %(title)s"),
        "home/email/submission_changes_requested.txt",
        _("Your article needs changes; see the comments: %(link)s"),
    ),
    "mailbox_answered": Kind(
        Topic.REPLIES,
        _("Your question to the party members' mailbox is answered"),
        "home/email/mailbox_answered.txt",
        _("Your question to the mailbox is answered: %(link)s"),
    ),
    "mailbox_new": Kind(
        Topic.WORK,
        _("New in the party members' mailbox, due %(due)s"),
        "home/email/mailbox_to_staff.txt",
        _("A new mailbox question waits for you: %(link)s"),
    ),
    "mailbox_reply": Kind(
        Topic.WORK,
        _("A member replied in the mailbox, due %(due)s"),
        "home/email/mailbox_to_staff.txt",
        _("A member replied in the mailbox: %(link)s"),
    ),
    "branch_message": Kind(
        Topic.BRANCH,
        _("Message from %(branch)s"),
        "members/email/branch_message.txt",
        _("Branch message: %(text)s %(link)s"),
        ("text", "link"),
    ),
}
