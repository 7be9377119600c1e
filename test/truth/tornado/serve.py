"""Serves one Tornado app module on 127.0.0.1 for the hand-set headers truth suite.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.
The module is loaded as written; its `app` (a tornado.web.Application) is served as is.
"""
import asyncio
import importlib.util
import socket
import sys

import tornado.httpserver
import tornado.netutil


def load(path):
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.app


async def main():
    app = load(sys.argv[1])
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    print("PORT %d" % sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
