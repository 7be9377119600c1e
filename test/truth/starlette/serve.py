"""Serves one FastAPI/Starlette app module on 127.0.0.1 for the Starlette truth suite.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.

The module is loaded as written and its `app` is served by uvicorn. So that every fixture answers
on the same paths, each Starlette/FastAPI application object the module defines gets one
catch-all route answering 200 "ok" for every method (added after the module ran; the middleware
stack is built on the first request, so the CORS setup is the module's own).
"""
import importlib.util
import socket
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get", "patch"]


async def ok(request):
    return PlainTextResponse("ok")


def load(path):
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for value in list(vars(module).values()):
        if isinstance(value, Starlette):
            value.router.routes.append(Route("/{path:path}", ok, methods=METHODS))
    return module.app


def main():
    app = load(sys.argv[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    print("PORT %d" % sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
