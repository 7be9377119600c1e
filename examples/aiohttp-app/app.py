"""A small aiohttp API with aiohttp_cors: run it with `python3 app.py` (port 8080)."""
import aiohttp_cors
from aiohttp import web


async def list_rooms(request):
    return web.json_response([])


async def create_room(request):
    return web.json_response({}, status=201)


app = web.Application()
app.router.add_get("/api/rooms", list_rooms)
app.router.add_post("/api/rooms", create_room)

# "*" is an origin key like any other: every site gets its own origin back, here with credentials.
cors = aiohttp_cors.setup(
    app,
    defaults={
        "*": aiohttp_cors.ResourceOptions(
            allow_credentials=True,
            expose_headers="*",
            allow_headers="*",
        ),
        "null": aiohttp_cors.ResourceOptions(),
    },
)
for route in list(app.router.routes()):
    cors.add(route)

if __name__ == "__main__":
    web.run_app(app)
