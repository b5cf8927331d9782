#!/usr/bin/env python3
"""A stand-in for the vendors' redirect services, for tests/e2e/test_rps.sh.

One XML-RPC server (Python's xmlrpc.server) over TLS on loopback, one path
per vendor (/snom, /yealink, /fanvil, /gigaset), each with the vendor's
exact method set and argument types and order, the HTTP Basic-auth check
(Fanvil's md5(md5(password))) and the vendor's own fault strings, as
Falconieri (https://github.com/nethesis/falconieri, providers/) and
peoplefone's provisioning-rpc (https://github.com/peoplefone/provisioning-rpc)
show them.

Special MACs (the first argument, whatever the spelling) make it misbehave:
  02BAD...  the vendor refuses the MAC        02EEEE... owned by another user
  025000... HTTP 500                          02BEEF... malformed XML-RPC
  02DEAD... no answer for an hour (a timeout)    02B166... a 10 MB answer
A URL containing "bad-url" is refused as malformed.  --fail-every N fails
the first call for every MAC whose number is a multiple of N (a re-run
succeeds).  Every call is appended to --log as one JSON line:
{"vendor", "method", "args": [["s", "..."] | ["a", [...]]]}.

usage: rps_fake.py --cert C --key K --user U --password P --log F
       --port-file F [--fail-every N]
"""
import argparse
import base64
import hashlib
import json
import ssl
import sys
import threading
import time
import xmlrpc.client
from xmlrpc.server import (MultiPathXMLRPCServer, SimpleXMLRPCDispatcher,
                           SimpleXMLRPCRequestHandler)
from socketserver import ThreadingMixIn

ARGS = None
LOCK = threading.Lock()
REG = {}          # (vendor, MAC as sent) -> url or server config
FAILED = set()    # MACs failed once under --fail-every
MACS = {"snom": 12, "fanvil": 12, "yealink": 17, "gigaset": (12, 17)}


def fault(msg):
    raise xmlrpc.client.Fault(1, msg)


def want(args, types):
    """The vendor's signature: exactly these types, in this order."""
    if len(args) != len(types) or any(not isinstance(a, t)
                                       for a, t in zip(args, types)):
        fault("wrong arguments: %r" % (args,))


def bare(mac):
    return mac.replace("-", "")[:12].upper()


def mac_ok(vendor, mac):
    if vendor == "yealink":
        return len(mac) == 17 and mac.count("-") == 5
    if vendor == "gigaset":
        return len(mac) in (12, 17)
    return len(mac) == 12 and mac == mac.upper()


# ---- the vendors: method name -> function(args) -> result ----

def snom(method, args):
    if method == "redirect.registerPhone":
        want(args, (str, str))
        mac, url = args
        if bare(mac).startswith("02BAD") or not mac_ok("snom", mac):
            return [False, "Error:malformed_mac"]
        if bare(mac).startswith("02EEEE"):
            return [False, "Error:owned_by_other_user"]
        if "bad-url" in url:
            return [False, "Error:malformed_url"]
        REG[("snom", mac)] = url
        return [True, "ok"]
    if method == "redirect.deregisterPhone":
        want(args, (str,))
        REG.pop(("snom", args[0]), None)
        return [True, "ok"]
    if method == "redirect.checkPhone":
        want(args, (str,))
        if ("snom", args[0]) in REG:
            return [True, "ok"]
        return [False, "Error:no_such_mac"]
    fault("method not found: " + method)


def yealink(method, args):
    if method == "redirect.registerDeviceWithUniqueUrl":
        want(args, (str, str, str, str))
        mac, server, url, override = args
        if override != "1":
            fault("override must be the string 1")
        if bare(mac).startswith("02BAD") or not mac_ok("yealink", mac):
            return [False, "error:invalid mac"]
        if bare(mac).startswith("02EEEE"):
            return [False, "Error:k3x9q2m7za"]
        if "bad-url" in url:
            return [False, "Error:The url can only begin with 'http://' or "
                    "'https://' or 'ftp://' or 'tftp://'"]
        REG[("yealink", mac)] = url
        return [True, "ok"]
    if method == "redirect.deRegisterDevice":
        want(args, (str,))
        REG.pop(("yealink", args[0]), None)
        return [True, "ok"]
    if method == "redirect.checkDevice":
        want(args, (str,))
        return "registered" if ("yealink", args[0]) in REG else "unregistered"
    fault("method not found: " + method)


def fanvil(method, args):
    if method == "redirect.deleteServer":
        want(args, (str,))
        if ("fanvil-server", args[0]) not in REG:
            return [False, "Error:server_not_exist"]
        del REG[("fanvil-server", args[0])]
        return [True, "ok"]
    if method == "redirect.addMaterialServer":
        want(args, (list,))
        cfg = dict(s.split("=", 1) for s in args[0])
        keys = ["cfgName", "cfgPfMode", "cfgDhcpOpt", "cfgPnpEnable",
                "cfgPfSrv", "cfgPfName", "cfgPfProt"]
        if [s.split("=", 1)[0] for s in args[0]] != keys:
            fault("unexpected configuration keys")
        if "bad-url" in cfg["cfgPfSrv"] + cfg["cfgPfName"]:
            return [False, "Error: url_format_error"]
        REG[("fanvil-server", cfg["cfgName"])] = cfg
        return [True, "ok"]
    if method == "redirect.deRegisterDevice":
        want(args, (str,))
        REG.pop(("fanvil", args[0]), None)
        return [True, "ok"]
    if method == "redirect.registerDevice":
        want(args, (str, str))
        mac, server = args
        if bare(mac).startswith("02BAD") or not mac_ok("fanvil", mac):
            return [False, "Error: mac_format_error"]
        if bare(mac).startswith("02EEEE"):
            return [False, "Error: device_had_existed"]
        if ("fanvil-server", server) not in REG:
            return [False, "Error:server_not_exist"]
        REG[("fanvil", mac)] = server
        return [True, "ok"]
    fault("method not found: " + method)


def gigaset(method, args):
    if method == "autoprov.deregisterDevice":
        want(args, (str,))
        if ("gigaset", args[0]) not in REG:
            return [False, "mac_not_found: " + args[0]]
        del REG[("gigaset", args[0])]
        return [True, "ok"]
    if method == "autoprov.registerDevice":
        want(args, (str, str, str))
        mac, url, provider = args
        if bare(mac).startswith("02BAD") or not mac_ok("gigaset", mac):
            return [False, "mac_invalid: " + mac]
        if bare(mac).startswith("02EEEE"):
            return [False, "mac_already_in_use: " + mac]
        if "bad-url" in url:
            return [False, "url_invalid: " + url]
        REG[("gigaset", mac)] = url
        return [True, "ok"]
    if method == "autoprov.checkDevice":
        want(args, (str,))
        if ("gigaset", args[0]) in REG:
            return [True, "ok"]
        return [False, "mac_not_found: " + args[0]]
    fault("method not found: " + method)


VENDORS = {"snom": snom, "yealink": yealink, "fanvil": fanvil,
           "gigaset": gigaset}


def typed(a):
    if isinstance(a, list):
        return ["a", [typed(x) for x in a]]
    return ["s" if isinstance(a, str) else type(a).__name__, a]


def first_mac(args):
    a = args[0] if args else ""
    if isinstance(a, list):
        a = a[0].split("=", 1)[1] if a else ""
    return bare(a)


class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/snom", "/yealink", "/fanvil", "/gigaset")
    protocol_version = "HTTP/1.0"

    def log_message(self, *a):
        pass

    def authorized(self, vendor):
        pw = ARGS.password
        if vendor == "fanvil":
            pw = hashlib.md5(hashlib.md5(pw.encode()).hexdigest().encode()
                             ).hexdigest()
        good = "Basic " + base64.b64encode(
            ("%s:%s" % (ARGS.user, pw)).encode()).decode()
        return self.headers.get("Authorization") == good

    def send(self, code, body, ctype="text/xml"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        vendor = self.path.strip("/")
        if vendor not in VENDORS:
            return self.send(404, b"no such path\n", "text/plain")
        if not self.authorized(vendor):
            return self.send(401, b"unauthorized\n", "text/plain")
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        args, method = xmlrpc.client.loads(data)
        mac = first_mac(args)
        with LOCK:
            with open(ARGS.log, "a") as f:
                f.write(json.dumps({"vendor": vendor, "method": method,
                                    "args": [typed(a) for a in args]}) + "\n")
        if mac.startswith("025000"):
            return self.send(500, b"internal error\n", "text/plain")
        if mac.startswith("02BEEF"):
            return self.send(200, b"<methodResponse><params><param><value>"
                             b"<array><data><value><boolean>1</boolean>")
        if mac.startswith("02B166"):
            return self.send(200, b"<methodResponse>" + b" " * (10 << 20) +
                             b"</methodResponse>")
        if mac.startswith("02DEAD"):
            time.sleep(3600)
            return
        if ARGS.fail_every and int(mac, 16) % ARGS.fail_every == 0:
            with LOCK:
                if mac not in FAILED:
                    FAILED.add(mac)
                    return self.send(500, b"overloaded\n", "text/plain")
        with LOCK:
            try:
                result = (VENDORS[vendor](method, list(args)),)
                body = xmlrpc.client.dumps(result, methodresponse=True)
            except xmlrpc.client.Fault as e:
                body = xmlrpc.client.dumps(e)
        self.send(200, body.encode())


class Server(ThreadingMixIn, MultiPathXMLRPCServer):
    daemon_threads = True


def main():
    global ARGS
    p = argparse.ArgumentParser()
    for a in ("--cert", "--key", "--user", "--password", "--log",
              "--port-file"):
        p.add_argument(a, required=True)
    p.add_argument("--fail-every", type=int, default=0)
    ARGS = p.parse_args()
    srv = Server(("127.0.0.1", 0), requestHandler=Handler, logRequests=False)
    for v in VENDORS:
        srv.add_dispatcher("/" + v, SimpleXMLRPCDispatcher())
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
