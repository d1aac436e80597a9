"""Run the application under uvicorn: what `reportgen serve` calls."""

from __future__ import annotations

import uvicorn

from reportgen.web.app import create_app
from reportgen.web.service import Settings

KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 200  # beyond this uvicorn answers 503 at once instead of queueing without end


def serve(host: str, port: int, settings: Settings) -> None:
    """Serve until interrupted; uvicorn's own English lines are kept to warnings (the CLI says what matters)."""
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False,
                timeout_keep_alive=KEEP_ALIVE_SECONDS, limit_concurrency=MAX_CONNECTIONS, server_header=False)
