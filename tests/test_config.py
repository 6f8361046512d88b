"""Settings: checked at start, the instance folder, and what the app logs."""

import logging
import subprocess
import sys

import pytest

from smallsteps import create_app
from tests.conftest import app_config


def test_a_modules_info_line_reaches_standard_error_at_the_default_level(tmp_path):
    program = (
        "import logging\n"
        "from smallsteps import create_app\n"
        f"create_app({{'SECRET_KEY': 'x', 'INSTANCE_PATH': {str(tmp_path)!r}}})\n"
        "logging.getLogger('smallsteps.services.example').info('a pass of the dispatcher')\n"
        "logging.getLogger('smallsteps.services.example').debug('only when asked')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert "a pass of the dispatcher" in result.stderr
    assert "only when asked" not in result.stderr


def test_log_level_is_followed(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, LOG_LEVEL="warning"))
    assert app.logger.getEffectiveLevel() == logging.WARNING


def test_a_wrong_log_level_stops_the_app_with_a_clear_message(tmp_path):
    with pytest.raises(ValueError, match="LOG_LEVEL must be one of DEBUG, ERROR, INFO, WARNING"):
        create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, LOG_LEVEL="chatty"))


def test_each_setting_that_cannot_work_is_named_at_start(tmp_path):
    bad = {
        "PROXY_FIX_HOPS": "one",
        "COOKIE_SECURE": "sometimes",
        "NUDGE_MAX_LATENESS": -5,
        "NUDGE_CONCURRENCY": 0,
        "NUDGE_TIMEOUT": "soon",
        "NUDGE_ENCRYPT_PROCESSES": -1,
    }
    with pytest.raises(ValueError) as raised:
        create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, **bad))
    message = str(raised.value)
    assert message.startswith("Small Steps cannot start:")
    for name in bad:
        assert name in message


def test_the_instance_folder_can_be_set_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SMALLSTEPS_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"SECRET_KEY": "x"})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("elsewhere/smallsteps.sqlite")
