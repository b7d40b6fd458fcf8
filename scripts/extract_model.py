#!/usr/bin/env python3
"""Extracts one operation's shapes from the installed botocore's SageMaker model.

    python3 scripts/extract_model.py > models/botocore-1.43.json        # the image's botocore
    /usr/bin/python3 scripts/extract_model.py > models/botocore-1.29.json  # Debian's

(scripts/regen-models runs both.) The output is a botocore service-2.json
holding just the operation, the shapes reachable from it, and the traits
spe judges by (type, members, required, min, max, pattern, exception, the
list member), in botocore's own member order: AWS reports constraint
violations in that order. Documentation strings are dropped; nothing is
renamed or rewritten, so the interop test can compare field by field.
"""
import argparse
import json
import sys

import botocore
import botocore.session

KEEP = ("type", "required", "min", "max", "pattern", "exception", "error")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--service", default="sagemaker")
    ap.add_argument("--operation", default="StartPipelineExecution")
    args = ap.parse_args()

    data = botocore.session.get_session().get_service_data(args.service)
    op = data["operations"][args.operation]
    shapes = data["shapes"]
    out_shapes = {}

    def visit(name):
        if name in out_shapes:
            return
        src = shapes[name]
        dst = {k: src[k] for k in KEEP if k in src}
        out_shapes[name] = dst
        if "members" in src:
            dst["members"] = {m: {"shape": v["shape"]} for m, v in src["members"].items()}
            for v in src["members"].values():
                visit(v["shape"])
        if "member" in src:
            dst["member"] = {"shape": src["member"]["shape"]}
            visit(src["member"]["shape"])

    roots = [op["input"]["shape"]]
    if "output" in op:
        roots.append(op["output"]["shape"])
    roots += [e["shape"] for e in op.get("errors", [])]
    for r in roots:
        visit(r)

    meta = {k: data["metadata"][k] for k in
            ("apiVersion", "jsonVersion", "protocol", "serviceId", "targetPrefix", "uid")
            if k in data["metadata"]}
    meta["x-spe-source"] = "botocore %s" % botocore.__version__
    model = {
        "version": data.get("version", "2.0"),
        "metadata": meta,
        "operations": {args.operation: {k: op[k] for k in ("name", "http", "input", "output", "errors") if k in op}},
        "shapes": out_shapes,
    }
    json.dump(model, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
