"""Wagtail's Chinese leaves gaps on the screens our editors and staff use
("Privacy and access", "There are no … to display", "批准 和发布" with a stray
space, "New: 结对" above the pairing form, the error bar's link, the
unsaved-changes warning). The project's catalogue comes first (LOCALE_PATHS),
so it translates these Wagtail messages; they are listed here so that
makemessages keeps them. The admin's JavaScript messages are in
locale/zh_Hans/LC_MESSAGES/djangojs.po, kept by hand (makemessages extracts
only the "django" domain here)."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("%(label)s and Publish"),
    gettext_noop("Privacy and access"),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">'
        "add one</a>?"
    ),
    gettext_noop("Your pages and snippets in a workflow"),
    gettext_noop("Choose who can view the live version of this page"),
    gettext_noop("Changing the privacy for this page has been disabled."),
    gettext_noop("Privacy is inherited from the ancestor page - %(ancestor_page)s"),
    gettext_noop("Locking: "),
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop(
        "Anyone can edit this %(model_name)s – lock it to prevent others from editing"
    ),
    gettext_noop("Go-live:"),
    gettext_noop("Once scheduled:"),
    gettext_noop("Invalid schedule"),
    gettext_noop("To be created by %(user)s"),
    gettext_noop("Schedule to publish"),
    gettext_noop("Scheduling…"),
    gettext_noop("Refresh"),
    gettext_noop("Refreshing…"),
    gettext_noop(
        "Correct the validation errors to resume preview (saving will highlight errors)"
    ),
    gettext_noop("Checks"),
    gettext_noop("Toggle checks"),
    gettext_noop("Show issue"),
    gettext_noop("Content metrics"),
    gettext_noop("Words"),
    gettext_noop("Reading time"),
    gettext_noop("Readability"),
    gettext_noop("Status %(status)s"),
    gettext_noop("%(action)s by <b>%(who)s</b> at <b>%(at)s</b>"),
    gettext_noop("%(action)s at <b>%(at)s</b>"),
    gettext_noop("%(action)s by <b>%(who)s</b>"),
    gettext_noop("This %(model_name)s hasn't been submitted for moderation yet"),
    gettext_noop("Cancelled by %(cancelled_by)s"),
    gettext_noop(
        "The %(model_name)s '%(title)s' is not currently awaiting moderation."
    ),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Go to the first error"),
    gettext_noop("Save your changes before leaving"),
]
