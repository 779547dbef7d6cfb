""" "1+1" paired study (结对帮学): pairings, the study contact's dashboard,
contact logs, monthly reports to the branch and study reminders.

The models live in `courses.models.pairing`; the rules in `services`, the reads
in `selectors`; the contact's pages in `views`, the organisers' back office in
`admin` (registered from `courses.wagtail_hooks`).
"""
