"""allauth's Chinese says "Email" and "token" where the rest of the site says
电子邮件地址 and 链接. The project's catalogue comes first (LOCALE_PATHS), so
it translates these allauth messages again; they are listed here so that
makemessages keeps them."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Add Email"),
    gettext_noop("Add Email Address"),
    gettext_noop("Bad Token"),
    gettext_noop("Change Email"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Current email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email Changed"),
    gettext_noop("Email Confirmation"),
    gettext_noop("Email Removed"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Primary"),
    gettext_noop("Primary email address set."),
    gettext_noop("Re-send Verification"),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified "
        "your email address."
    ),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Your account has no verified email address."),
    gettext_noop("Your email has been confirmed."),
]
