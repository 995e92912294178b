"""OSRM table client against a fake OSRM server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from samfard.errors import InputError
from samfard.geo.osrm import OsrmProvider, TravelTimeUnavailable
from samfard.geo.traveltime import GeodesicProvider, Point

POINTS = [
    Point(63.1767, 14.6361),
    Point(63.0770, 14.8190),
    Point(63.3160, 14.8500),
    Point(63.1900, 14.5700),
    Point(62.5440, 12.5470),
]


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table like OSRM, computing values with the geodesic model.

    `mode` on the server switches to error answers; `requests` records each request's
    coordinate count so tests can check chunking.
    """

    server: FakeServer

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.server.requests.append(url.path)
        if self.server.mode == "error":
            self._send(400, {"code": "InvalidQuery", "message": "Query string malformed"})
            return
        if self.server.mode == "html":
            self._send_raw(502, b"<html>bad gateway</html>")
            return
        prefix = "/table/v1/driving/"
        assert url.path.startswith(prefix)
        coords = [c.split(",") for c in url.path[len(prefix) :].split(";")]
        points = [Point(float(lat), float(lon)) for lon, lat in coords]
        query = urllib.parse.parse_qs(url.query)
        assert query["annotations"] == ["duration,distance"]
        sources = [int(s) for s in query["sources"][0].split(";")]
        targets = [int(t) for t in query["destinations"][0].split(";")]
        m = GeodesicProvider().matrix(points)
        durations: list[list[float | None]] = [
            [float(m.duration(s, t)) for t in targets] for s in sources
        ]
        if self.server.mode == "noroute":
            durations[0][-1] = None
        self._send(
            200,
            {
                "code": "Ok",
                "durations": durations,
                "distances": [[float(m.distance(s, t)) for t in targets] for s in sources],
            },
        )

    def _send(self, status: int, body: object) -> None:
        self._send_raw(status, json.dumps(body).encode())

    def _send_raw(self, status: int, raw: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


class FakeServer(ThreadingHTTPServer):
    mode = "ok"

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FakeOsrm)
        self.requests: list[str] = []


@pytest.fixture
def osrm() -> Iterator[FakeServer]:
    server = FakeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: FakeServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def test_matrix_matches_what_the_server_answers(osrm: FakeServer) -> None:
    m = OsrmProvider(_url(osrm)).matrix(POINTS)
    expected = GeodesicProvider().matrix(POINTS)
    assert np.array_equal(m.durations, expected.durations)
    assert np.array_equal(m.distances, expected.distances)
    assert len(osrm.requests) == 1


def test_large_matrices_are_fetched_in_blocks_and_pasted_together(osrm: FakeServer) -> None:
    """With at most 4 coordinates per request, 5 points need 3x3 blocks of 2 sources x 2
    destinations, and the pasted result equals the single-request matrix."""
    m = OsrmProvider(_url(osrm), max_points=4).matrix(POINTS)
    assert len(osrm.requests) == 9
    assert all(len(path.rsplit("/", 1)[1].split(";")) <= 4 for path in osrm.requests)
    assert np.array_equal(m.durations, GeodesicProvider().matrix(POINTS).durations)


def test_error_code_from_the_server_is_reported(osrm: FakeServer) -> None:
    osrm.mode = "error"
    with pytest.raises(TravelTimeUnavailable, match="InvalidQuery: Query string malformed"):
        OsrmProvider(_url(osrm)).matrix(POINTS)


def test_non_json_error_page_is_reported_with_status(osrm: FakeServer) -> None:
    osrm.mode = "html"
    with pytest.raises(TravelTimeUnavailable, match="HTTP 502"):
        OsrmProvider(_url(osrm)).matrix(POINTS)


def test_missing_route_is_reported_without_the_points(osrm: FakeServer) -> None:
    """A point may be a protected home, and the message reaches whoever planned."""
    osrm.mode = "noroute"
    with pytest.raises(TravelTimeUnavailable, match="no road between two of the") as caught:
        OsrmProvider(_url(osrm)).matrix(POINTS)
    assert "63.1767" not in str(caught.value) and "14.6361" not in str(caught.value)


def test_unreachable_server_gives_an_actionable_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    with pytest.raises(TravelTimeUnavailable, match="unreachable.*SAMFARD_OSRM_URL"):
        OsrmProvider(f"http://127.0.0.1:{port}", timeout_s=2).matrix(POINTS)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InputError, match="http"):
        OsrmProvider("localhost:5000")
    with pytest.raises(InputError, match="max_points"):
        OsrmProvider("http://localhost:5000", max_points=1)
