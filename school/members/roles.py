"""Who is who: the roles the school knows, as small predicates.

Roles are Django groups created by a data migration (0004): editors (编辑)
and branch organisers (支部管理员); superusers are everything. A study contact
is not a role: it follows from having an active pairing (courses app).
"""

EDITORS_GROUP = "编辑"
ORGANISERS_GROUP = "支部管理员"


def can_access_admin(user) -> bool:
    """Staff in the school's sense: anyone who may enter the Wagtail admin."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )
