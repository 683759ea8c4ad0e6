"""Serve stage (local workspace): `timeline serve`, a browser workspace on the same pipeline as the CLI.

`create_app` builds the Flask app (pages, the JSON API of docs/serve.md, the security rules); `make_server`
binds it (127.0.0.1 unless told otherwise) with a threaded Werkzeug server whose log never shows a query
string (the token) or anything of a case. Nothing is written to disk.
"""

from __future__ import annotations

import secrets
from typing import Any

from .app import create_app

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def new_token() -> str:
    """A per-launch random token (printed once in the address, then kept in a cookie)."""
    return secrets.token_urlsafe(24)


def allowed_hosts(host: str) -> tuple[str, ...]:
    """The names the Host header may give: loopback, the --host address, and for a wildcard address
    (0.0.0.0, ::) this machine's own name and addresses -- never any name at all (DNS rebinding)."""
    names = [*LOCAL_HOSTS, host.lower()]
    if host in ("0.0.0.0", "::"):
        import socket

        try:
            hostname = socket.gethostname()
            names += [hostname.lower(), socket.getfqdn().lower()]
            names += socket.gethostbyname_ex(hostname)[2]
        except OSError:  # pragma: no cover - a machine without a resolvable name: loopback and --host only
            pass
    return tuple(dict.fromkeys(n for n in names if n))


def make_server(host: str, port: int, *, token: str, app: Any = None) -> Any:
    """A threaded server for the workspace on (host, port); port 0 picks a free one (`server.server_port`)."""
    from werkzeug.serving import WSGIRequestHandler
    from werkzeug.serving import make_server as _make

    class QuietHandler(WSGIRequestHandler):
        """Logs the method, the path without its query, and the status: never a token or a cell's text."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = self.path.split("?", 1)[0]
            self.log("info", '"%s %s" %s', self.command, path, code)

    allowed = allowed_hosts(host)
    app = app if app is not None else create_app(token=token, allowed_hosts=allowed)
    return _make(host, port, app, threaded=True, request_handler=QuietHandler)


__all__ = ["allowed_hosts", "create_app", "make_server", "new_token"]
