"""Organisations the tests configure the bot for."""

from bot import Organisation

NHSBT = Organisation("NHS Blood and Transplant", "NHSBT", "HR Direct")
NORTHFIELD = Organisation("Northfield Community Health NHS Trust", "Northfield", "People Services")
