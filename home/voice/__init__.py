"""Members' submissions to the voice column (流动党员之声) through moderation."""
