"""A bare Flask app that says hello: the floor http_load.py measures the real app against.

Not run on its own: benchmarks/http_load.py serves it through gunicorn as ``benchmarks.hello:app``.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Say hello."""
    return "Hello, World!"
