#!/usr/bin/env python3
"""Checks the management API against its OpenAPI document (python3-jsonschema).

    api_check.py meta META-SCHEMA DOC
        DOC (schema/openapi.json) is a valid OpenAPI 3.0 document: it
        validates against the OpenAPI Initiative's meta-schema.
    api_check.py response DOC METHOD PATH STATUS HEADERS-FILE BODY-FILE
        The answer is one DOC describes: PATH matches a path template, the
        method and status are documented, the Content-Type is the
        documented one and the body validates against its schema.

Exit status 0 when valid, 1 with the reason on stdout.  The schemas of an
OpenAPI 3.0 document are JSON Schema draft 4 with a few words of its own;
`nullable: true` is turned into anyOf [..., null] before validating.
"""
import json
import re
import sys

import jsonschema


def nullable(s):
    if isinstance(s, list):
        return [nullable(x) for x in s]
    if not isinstance(s, dict):
        return s
    s = {k: nullable(v) for k, v in s.items()}
    if s.pop("nullable", False):
        return {"anyOf": [s, {"type": "null"}]}
    return s


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        cur = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            cur = cur[part]
        node = cur
    return node


def template_of(doc, path):
    path = path.split("?", 1)[0]
    base = doc["servers"][0]["url"]
    if not path.startswith(base):
        return None
    rest = path[len(base):]
    for tpl in doc["paths"]:
        rx = "^" + re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(tpl)) + "$"
        if re.match(rx, rest):
            return tpl
    return None


def check_response(doc, method, path, status, headers, body):
    tpl = template_of(doc, path)
    if tpl is None:
        return "no path template for %s" % path
    op = doc["paths"][tpl].get(method.lower())
    if op is None:
        return "%s %s is not documented" % (method, tpl)
    resp = op["responses"].get(status)
    if resp is None:
        return "status %s of %s %s is not documented" % (status, method, tpl)
    resp = resolve(doc, resp)
    content = resp.get("content")
    if not content:
        return None if body == b"" else "body where none is documented"
    ctype = ""
    for line in headers.decode("latin-1").split("\n"):
        if line.lower().startswith("content-type:"):
            ctype = line.split(":", 1)[1].strip().split(";")[0]
    if ctype not in content:
        return "Content-Type %r, documented: %s" % (ctype, ", ".join(content))
    schema = nullable(content[ctype]["schema"])
    wrapper = dict(schema)
    wrapper["components"] = nullable(doc["components"])
    try:
        value = json.loads(body)
        jsonschema.Draft4Validator(wrapper).validate(value)
    except (ValueError, jsonschema.ValidationError) as e:
        return "%s %s %s: %s" % (method, tpl, status, str(e).split("\n")[0])
    return None


def main(argv):
    if len(argv) == 4 and argv[1] == "meta":
        meta = json.load(open(argv[2]))
        try:
            jsonschema.Draft4Validator(meta).validate(json.load(open(argv[3])))
        except (ValueError, jsonschema.ValidationError) as e:
            print(str(e).split("\n")[0])
            return 1
        return 0
    if len(argv) == 8 and argv[1] == "response":
        doc = json.load(open(argv[2]))
        why = check_response(doc, argv[3], argv[4], argv[5],
                             open(argv[6], "rb").read(),
                             open(argv[7], "rb").read())
        if why:
            print(why)
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
