"""The one module-level application, for gunicorn and `flask --app wsgi`."""

from smallsteps import create_app

app = create_app()
