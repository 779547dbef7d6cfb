"""The party members' mailbox (党员信箱): questions answered in two working days."""
