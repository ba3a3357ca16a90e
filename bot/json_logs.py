"""One JSON object a line for the production profile's logs, with secrets masked.

Used by deploy/logging.yml (Rasa's ``--logging-config-file``, rasa-sdk's
``--logging-config_file``, and ``incentives serve --log-config``). Values of the secret
environment variables are replaced by ``***`` wherever they would appear in a message.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone

UTC_ZONE = timezone.utc  # noqa: UP017 (datetime.UTC is Python 3.11+; this also runs in the Rasa venv, 3.10)
SECRET_VARIABLES = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "WECHAT_TOKEN", "WECHAT_APPSECRET", "WECHAT_AES_KEY")


class JsonFormatter(logging.Formatter):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()
        self.secrets = [os.environ[name] for name in SECRET_VARIABLES if len(os.environ.get(name, "")) >= 4]

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC_ZONE).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        line = json.dumps(entry, ensure_ascii=False)
        for secret in self.secrets:
            line = line.replace(secret, "***")
        return line
