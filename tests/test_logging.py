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
    with pytest.raises(ValueError, match="LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"):
        create_app(app_config(f"sqlite:///{tmp_path}/app.sqlite", tmp_path, LOG_LEVEL="chatty"))
