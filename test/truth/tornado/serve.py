"""Serves one Tornado app module on 127.0.0.1 for the hand-set headers truth suite.

Usage: /usr/bin/python3 serve.py APP_FILE
Prints "PORT <n>" on stdout once listening (port chosen by the OS), then serves until killed.
The module is loaded as written; its `app` (a tornado.web.Application) is served as is.
"""
import asyncio
import runpy
import socket
import sys

import tornado.httpserver
import tornado.netutil


async def main():
    app = runpy.run_path(sys.argv[1])["app"]
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    print("PORT %d" % sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
