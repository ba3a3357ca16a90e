"""The action server (rasa_sdk) bound to loopback by default, with an optional shared token.

    python -m deploy.action_server --actions actions --port 5055 [rasa_sdk's other options]

rasa_sdk listens on every interface (its only setting is the ``SANIC_HOST`` variable) and runs
any action for anyone who reaches it; it has no token of its own. This wrapper starts the same
server with ``ACTION_HOST`` (default 127.0.0.1) and, when ``ACTION_SERVER_TOKEN`` is set, refuses
every call but ``/health`` whose ``?token=`` differs (Rasa sends the ``token`` of its
``action_endpoint`` in endpoints.yml that way). The app factory is a module-level function, so
Sanic's worker processes build the same checked app.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Sequence
from functools import partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.__main__ import main_from_args
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.worker.loader import AppLoader

logger = logging.getLogger(__name__)


def token_ok(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def create_app(package: str, token: str, endpoints: str) -> Any:
    executor = ActionExecutor()
    executor.register_package(package)
    app = create_app_for_serve(executor, cors_origins=None, endpoints=endpoints)
    if token:

        async def check_token(request: Any) -> Any:
            if request.path != "/health" and not token_ok(request.args.get("token"), token):
                return response.json({"error": "action server token missing or wrong"}, status=401)
            return None

        app.register_middleware(check_token, "request")
    return app


def main(argv: Sequence[str] | None = None) -> None:
    args = create_argument_parser().parse_args(argv)
    host = os.environ.get("ACTION_HOST", "127.0.0.1")
    token = os.environ.get("ACTION_SERVER_TOKEN", "")
    if args.grpc or args.ssl_certificate:
        os.environ["SANIC_HOST"] = host  # rasa_sdk's own paths read the host from here
        main_from_args(args)
        return
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(logging.getLogger("rasa_sdk"), args.log_file, args.loglevel, args.logging_config_file)
    utils.update_sanic_log_level()
    loader = AppLoader(factory=partial(create_app, args.actions_module or args.actions, token, args.endpoints))
    app = loader.load()
    logger.info("Action server on http://%s:%s (token %s)", host, args.port, "required" if token else "not set")
    app.prepare(host=host, port=args.port, workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
