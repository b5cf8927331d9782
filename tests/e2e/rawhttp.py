#!/usr/bin/env python3
"""Send raw bytes to a loopback HTTP server and keep what comes back.

    rawhttp.py PORT REQUEST-FILE HEADERS-FILE BODY-FILE

curl cleans up what it sends and reads only what HTTP says it should (a
HEAD answer's body is never read), so the tests that need to see the wire
-- a body after a HEAD, control bytes or a NUL in the request, headers far
beyond any limit -- write the request bytes to a file and use this.  The
request should carry "Connection: close"; the answer is read to EOF (or for
at most 10 s) and split at the first empty line: the header block (status
line included) to HEADERS-FILE, the rest unchanged to BODY-FILE.  Exit status 0 when something came
back, 1 when the server closed without answering, 2 on a connection error.
"""
import socket
import sys
import time


def main():
    port = int(sys.argv[1])
    with open(sys.argv[2], "rb") as f:
        request = f.read()
    chunks = []
    deadline = time.monotonic() + 10
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            try:
                s.sendall(request)
            except OSError:
                pass  # the server may answer (and close) before reading all
            while time.monotonic() < deadline:
                try:
                    data = s.recv(65536)
                except ConnectionResetError:
                    break
                except socket.timeout:
                    break
                if not data:
                    break
                chunks.append(data)
    except OSError as e:
        print("rawhttp: %s" % e, file=sys.stderr)
        return 2
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    with open(sys.argv[3], "wb") as f:
        f.write(head + b"\r\n")
    with open(sys.argv[4], "wb") as f:
        f.write(body)
    return 0 if answer else 1


if __name__ == "__main__":
    sys.exit(main())
