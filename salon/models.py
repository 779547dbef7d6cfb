"""Salon pages and registrations arrive with the salon issue."""
