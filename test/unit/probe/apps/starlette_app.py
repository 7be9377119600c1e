"""Starlette's CORSMiddleware (FastAPI's) under uvicorn on 127.0.0.1 for the probe tests.

Usage: /usr/bin/python3 starlette_app.py 'JSON keyword arguments for CORSMiddleware'
Prints "PORT <n>" once listening, then serves until killed.
"""
import asyncio
import json
import socket
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route


async def ok(request):
    return PlainTextResponse("ok\n")


app = Starlette(
    routes=[Route("/{path:path}", ok, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])],
    middleware=[Middleware(CORSMiddleware, **json.loads(sys.argv[1]))],
)

# Bind first so the port is known before uvicorn starts serving on the same socket.
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print("PORT %d" % sock.getsockname()[1], flush=True)
config = uvicorn.Config(app, log_level="error", lifespan="off")
asyncio.run(uvicorn.Server(config).serve(sockets=[sock]))
