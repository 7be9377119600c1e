"""Serves one aiohttp app module on 127.0.0.1 for the aiohttp_cors truth suite.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.
The module is loaded as written; its `app` (an aiohttp web.Application) is served as is. An
`app` that is awaitable (the call of an async setup function, or `anext()` of a context function)
is awaited first, in the server's loop, and what it gives is served.
"""
import asyncio
import importlib.util
import inspect
import socket
import sys

from aiohttp import web


def load(path):
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


async def main():
    app = load(sys.argv[1])
    if inspect.isawaitable(app):
        app = await app
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    print("PORT %d" % sock.getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
