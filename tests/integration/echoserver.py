"""A small, fast HTTP/1.1 server for load tests, run in its own process on 127.0.0.1.

``GET /api/v1/credits`` answers ``total_credits`` = the request's ``X-OpenRouter-Title`` (a number),
after ``ECHO_DELAY`` seconds, so a test can tell every caller's answer from every other's.
Usage: ``python -m tests.integration.echoserver DELAY``; it prints its port, then serves until stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            title = "0"
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"x-openrouter-title":
                    title = value.strip().decode()
            if delay:
                await asyncio.sleep(delay)
            body = json.dumps({"data": {"total_credits": float(title), "total_usage": 0}}).encode()
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(delay: float) -> None:
    server = await asyncio.start_server(lambda r, w: handle(r, w, delay), "127.0.0.1", 0, backlog=2048)
    print(server.sockets[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # the parent closes stdin to stop us
    server.close()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1])))
