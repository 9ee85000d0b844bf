"""The hook for the participant's own data: what the data download adds and what deleting
someone's data calls. ``PERSONAL_DATA`` maps the download's key to (export, delete)."""

from verbind.network.domain.personal_data import KEY, delete_for, export_for

PERSONAL_DATA = {KEY: (export_for, delete_for)}
