#!/usr/bin/python3
"""A loopback HTTP server for the `bosun db update` tests.

Serves ROOT with ETag and Last-Modified and answers conditional requests
with 304, and misbehaves on request for paths matching a glob:

  --drop GLOB        send the headers and half the body, then cut the connection
  --corrupt GLOB     send the file with bytes changed in its middle (same length)
  --fail GLOB=N      answer 503 to the first N requests, then serve normally
  --slow GLOB        trickle the body (1 KiB every 50 ms), for kill-mid-download tests
  --no-etag          send Last-Modified only (tests If-Modified-Since)

Misbehaving paths ignore conditional headers (a broken mirror does not know
what it served before). Every request is logged to --log as one line:
METHOD PATH STATUS if-none-match=... if-modified-since=...
The chosen port is written to --port-file once the server listens.
"""
import argparse
import email.utils
import fnmatch
import hashlib
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--drop", action="append", default=[])
    p.add_argument("--corrupt", action="append", default=[])
    p.add_argument("--fail", action="append", default=[])
    p.add_argument("--slow", action="append", default=[])
    p.add_argument("--no-etag", action="store_true")
    return p.parse_args()


ARGS = parse_args()
LOCK = threading.Lock()
FAILS = {}
for spec in ARGS.fail:
    glob, n = spec.rsplit("=", 1)
    FAILS[glob] = int(n)


def matches(globs, path):
    return next((g for g in globs if fnmatch.fnmatch(path, g)), None)


def log(line):
    with LOCK, open(ARGS.log, "a") as f:
        f.write(line + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bosun-test-httpd"

    def log_message(self, fmt, *a):  # quiet stderr; we keep our own log
        pass

    def record(self, status):
        log("%s %s %d if-none-match=%s if-modified-since=%s" % (
            self.command, self.path, status, self.headers.get("If-None-Match", "-"),
            self.headers.get("If-Modified-Since", "-")))

    def send_status(self, status, body=b""):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = unquote(urlsplit(self.path).path)
        full = os.path.realpath(os.path.join(ARGS.root, path.lstrip("/")))
        if not full.startswith(os.path.realpath(ARGS.root) + os.sep) or not os.path.isfile(full):
            return self.send_status(404, b"not found\n")
        with LOCK:
            glob = matches(FAILS, path)
            failing = glob is not None and FAILS[glob] > 0
            if failing:
                FAILS[glob] -= 1
        if failing:
            return self.send_status(503, b"try again later\n")
        with open(full, "rb") as f:
            body = f.read()
        broken = matches(ARGS.drop + ARGS.corrupt + ARGS.slow, path)
        if matches(ARGS.corrupt, path):
            mid = len(body) // 2
            body = body[:mid] + bytes(b ^ 0x5A for b in body[mid:mid + 64]) + body[mid + 64:]
        mtime = int(os.stat(full).st_mtime)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        if not broken and self.not_modified(etag, mtime):
            self.record(304)
            self.send_response(304)
            if not ARGS.no_etag:
                self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        self.record(200)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if not ARGS.no_etag:
            self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.end_headers()
        if self.command == "HEAD":
            return
        if matches(ARGS.drop, path):
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if matches(ARGS.slow, path):
            for i in range(0, len(body), 1024):
                self.wfile.write(body[i:i + 1024])
                self.wfile.flush()
                time.sleep(0.05)
            return
        self.wfile.write(body)

    def not_modified(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
        return False


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, ARGS.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
