"""localstripe, the third-party Stripe emulator, on an ephemeral port with a clock we set.

`python -m tests.sources.localstripe_server --at EPOCH` starts localstripe from scratch
(its store starts empty and is never written to /tmp/localstripe.pickle, which every
test process would share), with its clock frozen at EPOCH by time-machine, and prints
`port N` once it listens. `POST /_config/clock {"now": EPOCH}` moves the clock (paths
under /_config/ are localstripe's own unauthenticated control routes), so a test can
create a subscription on one day and cancel it on another.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
from datetime import UTC, datetime

import time_machine
from aiohttp import web
from localstripe.resources import store
from localstripe.server import app

__all__ = ["main"]


def _moment(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", type=int, required=True, help="the frozen clock (epoch seconds)")
    arguments = parser.parse_args()
    store.clear()
    store.dump_to_disk = lambda: None  # keep it in memory
    coordinates = time_machine.travel(_moment(arguments.at), tick=False).start()

    async def set_clock(request: web.Request) -> web.Response:
        coordinates.move_to(_moment(int((await request.json())["now"])))
        return web.json_response({"now": int(datetime.now(UTC).timestamp())})

    app.router.add_post("/_config/clock", set_clock)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    # Listening before the port is told: a client that connects before the event loop
    # serves waits in the backlog instead of being refused.
    listener.listen(128)
    print(f"port {listener.getsockname()[1]}", flush=True)
    asyncio.run(_serve(listener))


async def _serve(listener: socket.socket) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, listener).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    main()
