"""Who is who: the roles the school knows, as small predicates.

Roles are Django groups created by a data migration (0004): editors (编辑)
and branch organisers (支部管理员); superusers are everything. A study contact
is not a role: it follows from having an active pairing (courses app).
"""

from django.contrib.auth.models import Permission
from django.db.models import Q

EDITORS_GROUP = "编辑"
ORGANISERS_GROUP = "支部管理员"


def can_access_admin(user) -> bool:
    """Staff in the school's sense: anyone who may enter the Wagtail admin.

    Every page's header asks this, so it costs one small query, kept on the
    user object for the request, rather than loading all the user's
    permissions (two queries) the way `has_perm` does.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_can_access_admin"):
        if hasattr(user, "_perm_cache"):
            allowed = user.has_perm("wagtailadmin.access_admin")
        else:
            allowed = (
                Permission.objects.filter(
                    content_type__app_label="wagtailadmin", codename="access_admin"
                )
                .filter(Q(user=user) | Q(group__user=user))
                .exists()
            )
        user._can_access_admin = allowed
    return user._can_access_admin
