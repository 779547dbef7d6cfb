"""Names shared by the data migration that creates the moderation set-up and the
code that uses it (the migration copies them: migrations must not import app code
that may change)."""

EDITORS_GROUP = "编辑"
MAILBOX_STAFF_GROUP = "信箱工作人员"
VOICE_WORKFLOW = "流动党员之声投稿审核"
VOICE_TASK = "编辑审核"
SUBMISSIONS_COLLECTION = "投稿图片"
