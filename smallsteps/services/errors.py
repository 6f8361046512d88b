"""What a service turns down, with the answer it gets, so no view has to word it again."""


class ServiceError(Exception):
    """A request a service turns down, answered the same from every view.

    The API answers ``status`` with ``error`` and ``detail``: the words the refusal was
    raised with, else its kind's own. A page shows ``said``, which is the detail unless
    the kind words it for a person.
    """

    status = 400
    error = "refused"
    detail = ""
    said = ""

    def __init__(self, detail: str | None = None):
        """Keep the detail the refusal was raised with, else its kind's own."""
        if detail is not None:
            self.detail = detail
        self.said = self.said or self.detail
        super().__init__(self.detail)
