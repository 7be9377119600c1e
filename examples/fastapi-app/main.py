"""A FastAPI app whose CORS setup shows CORS Lens's checks for Starlette's CORSMiddleware.

Run it with `uvicorn main:app`; run `cors-lens check examples/fastapi-app` to see the findings.
"""
import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

# Partner sites: the dots are not escaped, so 'https://attackerexample.com' gets in too.
PARTNER_REGEX = r"https://[a-z]+.example.com"

# A string, not a list: Starlette checks `origin in FRONTEND_URL`, a substring test.
FRONTEND_URL = os.getenv("FRONTEND_URL", "https://app.example.com")

app = FastAPI()

# allow_origins=["*"] with credentials: Starlette 0.26 echoes any origin that sends a cookie.
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

admin = FastAPI()
admin.add_middleware(
    CORSMiddleware,
    allow_origins=FRONTEND_URL,
    allow_origin_regex=PARTNER_REGEX,
    allow_credentials=True,
)
app.mount("/admin", admin)


@app.get("/api/items")
async def items():
    return [{"id": 1}]
