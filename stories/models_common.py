"""Shared by the stories app's page modules."""

PUBLISHER = {"@type": "Organization", "name": "Farmcast 农播"}
