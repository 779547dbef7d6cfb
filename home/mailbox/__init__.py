"""The party members' mailbox (电子信箱): questions answered in two working days."""
