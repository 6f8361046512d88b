"""The domain is plain Python: importing all of it loads nothing from Flask or SQLAlchemy."""

import json
import pkgutil
import subprocess
import sys

import smallsteps
import smallsteps.domain

WEB_AND_DATABASE = {"flask", "flask_login", "flask_sqlalchemy", "jinja2", "sqlalchemy", "werkzeug"}

# Run in a fresh interpreter, so nothing the tests imported before counts. The app's
# package is put in place without running its __init__ (which builds the Flask app), so
# whatever is loaded was asked for by the domain itself.
IMPORT_ALL = """
import importlib, json, sys, types
package = types.ModuleType("smallsteps")
package.__path__ = {path!r}
sys.modules["smallsteps"] = package
for name in {names!r}:
    importlib.import_module(name)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def domain_modules() -> list[str]:
    """Return the name of every module under smallsteps.domain, packages included."""
    found = pkgutil.walk_packages(smallsteps.domain.__path__, prefix="smallsteps.domain.")
    return ["smallsteps.domain", *sorted(module.name for module in found)]


def test_the_walk_finds_every_domain_module_packages_and_all():
    modules = domain_modules()
    assert {"smallsteps.domain.lookback", "smallsteps.domain.lookback.settled"} <= set(modules)
    assert {"smallsteps.domain.streaks", "smallsteps.domain.ladder"} <= set(modules)


def test_a_module_that_imports_flask_would_be_caught():
    script = IMPORT_ALL.format(path=list(smallsteps.__path__), names=["smallsteps.extensions"])
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert {"flask", "sqlalchemy"} <= set(json.loads(run.stdout))


def test_importing_every_domain_module_loads_no_web_or_database_library():
    script = IMPORT_ALL.format(path=list(smallsteps.__path__), names=domain_modules())
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = set(json.loads(run.stdout))
    assert "smallsteps" in loaded
    assert not loaded & WEB_AND_DATABASE, sorted(loaded & WEB_AND_DATABASE)
