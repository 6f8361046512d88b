"""Settings, in one blueprint: the page, the account, and the person's data.

The account is a new password and leaving; the data is the wins as CSV and an export brought
back in. Nudges have their own page, under /settings/nudges, in the nudges blueprint.
"""

from flask import Blueprint

bp = Blueprint("settings", __name__)

# Each module adds its routes to `bp`; import them last so `bp` exists.
from . import account, page, your_data  # noqa: E402, F401
