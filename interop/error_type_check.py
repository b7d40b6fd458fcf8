#!/usr/bin/env python3
"""botocore as the peer of how spe reads an error body's __type.

An AWS JSON 1.1 error names its type in __type, qualified
("com.amazonaws.sagemaker#ResourceNotFound"), suffixed
("ResourceNotFound:http://..."), or both. spe reads it as the installed
botocore's JSONParser does (README, "Error bodies"). For spellings built from
the operation's own error names, this checks, body by body, that spe accepts
exactly those whose type botocore reads as one of the operation's errors, and
that spe's canonical form names the error botocore reads.

Usage: error_type_check.py --spe PATH --revision botocore-1.43
(run with the python3 whose botocore is that revision's). Exit 0 when spe and
botocore agree on every spelling, 1 otherwise (each disagreement printed).
"""
import argparse
import json
import subprocess
import sys

import botocore
import botocore.parsers
import botocore.session


def spellings(names):
    """__type texts around each name: prefixes, suffixes, and both orders."""
    out = ["", "#", ":", "##", "::", "#:", ":#"]
    for n in names:
        out += [
            n, "com.amazonaws.sagemaker#" + n, "a#b#" + n, "#" + n, n + "#",
            n + ":http://internal.amazon.com/coral/com.amazon.coral.validate/",
            n + ":", ":" + n, "a:b#" + n, n + ":x#y", "x#" + n + ":y",
            "x#" + n + "#:y", n + "::", "a.b#" + n + ":c:d", n.lower(), " " + n,
        ]
    return out


def botocore_code(type_text):
    body = json.dumps({"__type": type_text}).encode()
    parsed = botocore.parsers.JSONParser().parse(
        {"body": body, "headers": {}, "status_code": 400}, None)
    return parsed["Error"]["Code"]


def spe(args, body):
    return subprocess.run(args, input=body.encode(), capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spe", required=True)
    ap.add_argument("--revision", required=True)
    a = ap.parse_args()
    want = a.revision.removeprefix("botocore-")
    if not botocore.__version__.startswith(want + "."):
        print(f"botocore {botocore.__version__} is not {a.revision}", file=sys.stderr)
        return 2
    op = botocore.session.get_session().get_service_model("sagemaker") \
        .operation_model("StartPipelineExecution")
    names = [s.name for s in op.error_shapes]
    failures = 0
    for t in spellings(names + ["Unknown"]):
        body = json.dumps({"__type": t, "Message": "m"}, ensure_ascii=False)
        code = botocore_code(t)
        known = code in names
        r = spe([a.spe, "canon", "--shape", "error", "--revision", a.revision, "-"], body)
        accepted = r.returncode == 0
        if accepted != known:
            failures += 1
            print(f"{t!r}: botocore reads {code!r} ({'an' if known else 'not an'} error of the "
                  f"operation); spe canon exits {r.returncode}: {r.stderr.decode().strip()}")
        elif accepted and json.loads(r.stdout)["__type"] != code:
            failures += 1
            print(f"{t!r}: botocore reads {code!r}, spe's canonical form names "
                  f"{json.loads(r.stdout)['__type']!r}")
    print(f"{len(spellings(names + ['Unknown']))} __type spellings, {failures} disagreements "
          f"(botocore {botocore.__version__}, errors {', '.join(names)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
