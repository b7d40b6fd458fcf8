#!/usr/bin/env python3
"""Checks models/ against the installed botocore, the source they were taken from.

    python3 interop/check_models.py compare --model models/botocore-1.43.json --botocore 1.43
    /usr/bin/python3 interop/check_models.py compare --model models/botocore-1.29.json --botocore 1.29
    python3 interop/check_models.py regen --source-dir .

`compare` loads the operation through botocore's own model API
(botocore.session.get_session().get_service_model(...)), not by reading the
JSON the way scripts/extract_model.py does, so the two are independent
readings of the same source. It walks every shape reachable from the
operation (input, output, errors) on both sides and compares type, min, max,
pattern, exception, the required list, member names, order and targets, and
the list member. It also fails when botocore puts on a reachable shape a
constraint spe does not enforce (enum, union, ...) or a member-level override
of a constraint, since the committed model could not express it. It refuses to
run against a botocore whose major.minor is not the one asked for, so a
different interpreter cannot make it pass by comparing the wrong thing.

`regen` runs scripts/regen-models into a temporary directory and fails unless
its output is byte-identical to the committed models/botocore-*.json.

Exit status: 0 identical, 1 a difference (printed as a list), 2 bad setup.
"""
import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile

TRAITS = ("type", "min", "max", "pattern", "exception", "required", "members", "member")
# Constraints a botocore shape may carry that spe's models cannot express.
UNSUPPORTED = ("enum", "union", "document", "eventstream", "streaming", "requiresLength")
CONSTRAINTS = ("min", "max", "pattern", "enum")


class Mismatch(Exception):
    pass


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dups = sorted({k for k in keys if keys.count(k) > 1})
    if dups:
        raise Mismatch("duplicate key(s) %s in the model file" % ", ".join(dups))
    return dict(pairs)


def walk(roots, children):
    """Shape names in depth-first pre-order from `roots` (spe's shapes() order)."""
    order, seen, stack = [], set(), list(reversed(roots))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        stack.extend(reversed(children(name)))
    return order


def describe_file_shape(raw):
    """The traits spe judges by, from one shape of the committed JSON."""
    d = {"type": raw.get("type")}
    for k in ("min", "max", "pattern"):
        if k in raw:
            d[k] = raw[k]
    d["exception"] = bool(raw.get("exception", False))
    if d["type"] == "structure":
        d["required"] = list(raw.get("required", []))
        d["members"] = [(m, v["shape"]) for m, v in raw.get("members", {}).items()]
    if d["type"] == "list":
        d["member"] = raw["member"]["shape"]
    return d


def describe_botocore_shape(shape, problems):
    md = shape.metadata
    d = {"type": shape.type_name}
    for k in ("min", "max", "pattern"):
        if k in md:
            d[k] = md[k]
    d["exception"] = bool(md.get("exception", False))
    for k in UNSUPPORTED:
        if k in md or k in getattr(shape, "serialization", {}):
            problems.append("shape %s: botocore gives it %r, a constraint spe does not support"
                            % (shape.name, k))
    if d["type"] == "structure":
        d["required"] = list(md.get("required", []))
        d["members"] = [(m, s.name) for m, s in shape.members.items()]
    if d["type"] == "list":
        d["member"] = shape.member.name
    return d


def file_side(path, operation):
    with open(path, "rb") as f:
        model = json.loads(f.read().decode("utf-8"), object_pairs_hook=no_duplicates)
    op = model["operations"][operation]
    shapes = model["shapes"]
    roots = [op["input"]["shape"]]
    if "output" in op:
        roots.append(op["output"]["shape"])
    errors = [e["shape"] for e in op.get("errors", [])]

    def children(name):
        d = describe_file_shape(shapes[name])
        return [t for _, t in d.get("members", [])] + ([d["member"]] if "member" in d else [])

    order = walk(roots + errors, children)
    unreachable = [n for n in shapes if n not in set(order)]
    return {
        "operation": {"input": roots[0], "output": op.get("output", {}).get("shape"),
                      "errors": errors},
        "order": order,
        "shapes": {n: describe_file_shape(shapes[n]) for n in order},
        "unreachable": unreachable,
        "source": model.get("metadata", {}).get("x-spe-source", "?"),
    }


def botocore_side(service, operation, problems):
    import botocore.session

    sm = botocore.session.get_session().get_service_model(service)
    op = sm.operation_model(operation)
    roots = [op.input_shape.name]
    if op.output_shape is not None:
        roots.append(op.output_shape.name)
    errors = [s.name for s in op.error_shapes]
    described = {}

    def get(name):
        if name not in described:
            shape = sm.shape_for(name)
            described[name] = describe_botocore_shape(shape, problems)
            # A member reference may carry its own traits, which botocore
            # merges over the target's: spe's models cannot say that.
            if shape.type_name == "structure":
                for m, ms in shape.members.items():
                    for k in CONSTRAINTS:
                        if ms.metadata.get(k) != shape_metadata(sm, ms.name).get(k):
                            problems.append("shape %s member %s: botocore overrides %r on the "
                                            "member, which spe's models cannot express"
                                            % (name, m, k))
        return described[name]

    def children(name):
        d = get(name)
        return [t for _, t in d.get("members", [])] + ([d["member"]] if "member" in d else [])

    order = walk(roots + errors, children)
    return {
        "operation": {"input": roots[0], "output": roots[1] if len(roots) > 1 else None,
                      "errors": errors},
        "order": order,
        "shapes": {n: get(n) for n in order},
    }


def shape_metadata(sm, name):
    return sm.shape_for(name).metadata


def compare(args):
    import botocore

    want = args.botocore.split(".")
    have = botocore.__version__.split(".")
    if have[:len(want)] != want:
        print("SETUP ERROR: %s has botocore %s (%s), but this check is for botocore %s.*"
              % (sys.executable, botocore.__version__, os.path.dirname(botocore.__file__),
                 args.botocore))
        return 2

    problems = []
    try:
        mine = file_side(args.model, args.operation)
    except (OSError, ValueError, KeyError, Mismatch) as e:
        print("FAIL: cannot read %s: %s" % (args.model, e))
        return 1
    theirs = botocore_side(args.service, args.operation, problems)
    label = os.path.relpath(args.model)
    them = "botocore %s" % botocore.__version__

    for k in ("input", "output", "errors"):
        if mine["operation"][k] != theirs["operation"][k]:
            problems.append("operation %s %s: %s says %r, %s says %r"
                            % (args.operation, k, them, theirs["operation"][k], label,
                               mine["operation"][k]))
    for n in theirs["order"]:
        if n not in mine["shapes"]:
            problems.append("shape %s: reachable in %s, missing from %s" % (n, them, label))
    for n in mine["order"]:
        if n not in theirs["shapes"]:
            problems.append("shape %s: in %s, not reachable in %s" % (n, label, them))
    for n in mine["unreachable"]:
        problems.append("shape %s: in %s but not reachable from %s" % (n, label, args.operation))
    if mine["order"] != theirs["order"] and not problems:
        problems.append("reachable shapes in a different order:\n    %s: %s\n    %s: %s"
                        % (them, theirs["order"], label, mine["order"]))

    traits = 0
    for n in theirs["order"]:
        if n not in mine["shapes"]:
            continue
        a, b = theirs["shapes"][n], mine["shapes"][n]
        for k in TRAITS:
            if k in a or k in b:
                traits += 1
            if a.get(k) != b.get(k):
                problems.append("shape %s %s: %s says %s, %s says %s"
                                % (n, k, them, render(a, k), label, render(b, k)))

    print("%s (%s) vs %s [%s]" % (them, sys.executable, label, mine["source"]))
    if mine["source"] != them:
        print("note: %s was extracted from %s" % (label, mine["source"]))
    if problems:
        print("FAIL: %d difference(s):" % len(problems))
        for p in problems:
            print("  - " + p)
        return 1
    if not theirs["order"] or traits == 0:
        print("FAIL: nothing was compared")
        return 1
    print("OK: %d shapes, %d traits identical (%s)" % (len(theirs["order"]), traits,
                                                      ", ".join(theirs["order"])))
    return 0


def render(d, k):
    return "(absent)" if k not in d else json.dumps(d[k])


def regen(args):
    src = os.path.abspath(args.source_dir)
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([os.path.join(src, "scripts", "regen-models"), "--out", out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print("FAIL: scripts/regen-models exited %d:\n%s%s"
                  % (run.returncode, run.stdout, run.stderr))
            return 1
        bad = 0
        names = sorted(os.listdir(out))
        if not names:
            print("FAIL: scripts/regen-models wrote nothing")
            return 1
        for name in names:
            with open(os.path.join(out, name), "rb") as f:
                fresh = f.read()
            committed_path = os.path.join(src, "models", name)
            try:
                with open(committed_path, "rb") as f:
                    committed = f.read()
            except OSError:
                print("FAIL: regen-models wrote %s, which is not committed under models/" % name)
                bad += 1
                continue
            if fresh != committed:
                bad += 1
                print("FAIL: models/%s differs from what scripts/regen-models writes now:" % name)
                sys.stdout.writelines(difflib.unified_diff(
                    committed.decode("utf-8", "replace").splitlines(True),
                    fresh.decode("utf-8", "replace").splitlines(True),
                    "models/" + name, "regen-models output"))
            else:
                print("OK: models/%s is byte-identical to regen-models output (%d bytes)"
                      % (name, len(fresh)))
        return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare", help="compare one models/ file with the installed botocore")
    c.add_argument("--model", required=True, help="models/botocore-X.Y.json")
    c.add_argument("--botocore", required=True, help="the botocore major.minor expected, e.g. 1.43")
    c.add_argument("--service", default="sagemaker")
    c.add_argument("--operation", default="StartPipelineExecution")
    r = sub.add_parser("regen", help="check scripts/regen-models reproduces models/ exactly")
    r.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    return compare(args) if args.cmd == "compare" else regen(args)


if __name__ == "__main__":
    sys.exit(main())
