"""In-site notices (消息) and the branch's messages to its members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One notice to one person: always shown on the site, and sent by SMS or
    e-mail too when `channels` says so (a record of what went where)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    channels = models.CharField(
        _("also sent by"), max_length=20, blank=True, help_text="sms,email"
    )
    branch_message = models.ForeignKey(
        "BranchMessage",
        verbose_name=_("branch message"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.title

    @property
    def sent_by_sms(self) -> bool:
        return "sms" in self.channels.split(",")

    @property
    def sent_by_email(self) -> bool:
        return "email" in self.channels.split(",")


class BranchMessage(models.Model):
    """An organiser's short message to every confirmed member of their branches
    (the quarterly message to mobile members); its notices record who got it
    and by which channels."""

    text = models.TextField(_("message"))
    branches = models.ManyToManyField(
        "members.Branch", verbose_name=_("branches"), related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    branch_scope = "branches"

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("branch message")
        verbose_name_plural = _("branch messages")

    def __str__(self):
        return self.text[:30]
