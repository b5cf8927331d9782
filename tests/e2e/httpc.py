#!/usr/bin/env python3
"""The end-to-end tests' HTTP client, one process for a whole test.

    httpc.py HEADERS-FILE BODY-FILE      (run as a bash coprocess by lib.sh)

Starting curl for each of a test's hundreds of requests costs more CPU than
the servers spend answering them, so lib.sh keeps this process running
and sends it one request at a time on stdin, as NUL-terminated fields:

    REQ  PORT METHOD PATH HAS-BODY BODY HEADER... ""
    RAW  PORT REQUEST-FILE ""

REQ sends an HTTP/1.1 request to 127.0.0.1:PORT.  PATH is sent exactly as
given (no ../ folding, no escaping).  Each HEADER is a "Name: value" line.
Host, User-Agent, Accept and Connection: close are added unless given, and
Content-Length too when HAS-BODY is 1.  RAW sends the bytes of
REQUEST-FILE unchanged, for requests no client library would write: a NUL
in the request line, control bytes, garbage.

The answer is read to EOF (at most 10 s).  The header block (status line
included, as received) goes to HEADERS-FILE, the body to BODY-FILE, with
chunked encoding removed.  Then one line goes to stdout: the status, or 000
when nothing usable came back.
"""
import socket
import sys
import time

TIMEOUT = 10


class Fields:
    """Reads NUL-terminated fields from a binary stream."""

    def __init__(self, stream):
        self.stream = stream
        self.buf = b""

    def next(self):
        while b"\0" not in self.buf:
            data = self.stream.read1(65536)
            if not data:
                raise EOFError
            self.buf += data
        field, _, self.buf = self.buf.partition(b"\0")
        return field


def exchange(port, request):
    """Sends the request, returns everything that came back."""
    chunks = []
    deadline = time.monotonic() + TIMEOUT
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
            try:
                s.sendall(request)
            except OSError:
                pass  # the server may answer, and close, before reading all
            while time.monotonic() < deadline:
                try:
                    data = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not data:
                    break
                chunks.append(data)
    except OSError:
        pass
    return b"".join(chunks)


def dechunk(body):
    out, rest = [], body
    while True:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return None
        try:
            size = int(line.split(b";")[0], 16)
        except ValueError:
            return None
        if size == 0:
            return b"".join(out)
        if len(rest) < size + 2:
            return None
        out.append(rest[:size])
        rest = rest[size + 2:]


def split(answer, method):
    """(status, header block, body) of an answer."""
    head, sep, body = answer.partition(b"\r\n\r\n")
    if not sep:
        return "000", answer, b""
    parts = head.split(b"\r\n", 1)[0].split(b" ")
    status = parts[1].decode("ascii", "replace") if len(parts) > 1 else ""
    if not (len(status) == 3 and status.isdigit()):
        return "000", head + b"\r\n", body
    chunked = any(h.lower().replace(b" ", b"") == b"transfer-encoding:chunked"
                  for h in head.split(b"\r\n")[1:])
    if chunked and method != b"HEAD" and status not in ("204", "304"):
        plain = dechunk(body)
        if plain is not None:
            body = plain
    return status, head + b"\r\n", body


def build(port, method, path, has_body, body, headers):
    names = {h.split(b":", 1)[0].strip().lower() for h in headers}
    lines = [method + b" " + path + b" HTTP/1.1"]
    defaults = [(b"host", b"Host: 127.0.0.1:%d" % port),
                (b"user-agent", b"User-Agent: deskprov-e2e"),
                (b"accept", b"Accept: */*")]
    lines += [h for n, h in defaults if n not in names]
    lines += headers
    if has_body and b"content-length" not in names:
        lines.append(b"Content-Length: %d" % len(body))
    if b"connection" not in names:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body if has_body else b"")


def main():
    hdr_path, body_path = sys.argv[1], sys.argv[2]
    fields = Fields(sys.stdin.buffer)
    while True:
        try:
            kind = fields.next()
            port = int(fields.next())
            if kind == b"RAW":
                with open(fields.next(), "rb") as f:
                    request = f.read()
                method = b"RAW"
                fields.next()
            else:
                method, path = fields.next(), fields.next()
                has_body, body = fields.next() == b"1", fields.next()
                headers = []
                while True:
                    h = fields.next()
                    if not h:
                        break
                    headers.append(h)
                request = build(port, method, path, has_body, body, headers)
        except EOFError:
            return 0
        status, head, body = split(exchange(port, request), method)
        with open(hdr_path, "wb") as f:
            f.write(head)
        with open(body_path, "wb") as f:
            f.write(body)
        sys.stdout.write(status + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
