"""What a service turns down, with the answer it gets, so no view has to word it again."""

from flask_babel import gettext as _


class ServiceError(Exception):
    """A request a service turns down, answered the same from every view.

    The API answers ``status`` with ``error`` and ``detail``: the words the refusal was
    raised with, else its kind's own. A page shows ``said``, which is the detail unless
    the kind words it for a person.

    ``error`` is a code for programs, in English. A kind's own ``detail`` and ``said`` are
    marked for the catalog (``N_``) and said here in the request's language; words a
    refusal is raised with are already in it.
    """

    status = 400
    error = "refused"
    detail = ""
    said = ""

    def __init__(self, detail: str | None = None):
        """Keep the detail the refusal was raised with, else its kind's own."""
        own = type(self)
        if detail is not None:
            self.detail = detail
        elif own.detail:
            self.detail = _(own.detail)
        self.said = _(own.said) if own.said else self.detail
        super().__init__(self.detail)
