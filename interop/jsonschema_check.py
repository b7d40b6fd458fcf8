#!/usr/bin/python3
"""Judges a labelled corpus with spe's JSON Schema export and Debian's
python3-jsonschema (Draft202012Validator), and checks that the verdicts and
error sets agree with the corpus's labels outside the documented classes of
what JSON Schema cannot express.

    jsonschema_check.py --spe BUILD/spe --revision R --corpus DIR [--json]

The schema comes from `spe schema --format json-schema` (with --strict for
bodies labelled strict), so the test exercises the export as users get it.
Every disagreement must fall into one of these classes, each checked on the
body itself, not just named:

  malformed-json       the body is not JSON (for spe); JSON Schema judges
                       parsed instances and has no say
  duplicate-member     JSON Schema's data model has no duplicate names (Python
                       keeps the last); AWS rejects them
  integer-spelling     1.0 and 1e0 are integers to JSON Schema; AWS wants an
                       integer token
  integer-width        past int32/int64 AWS cannot read the number (a type
                       error); the schema's bounds report minimum/maximum
  required-null        null for a required member: the schema reports its type,
                       AWS a missing member (both reject)
  python-dollar        Python's `$` also matches before a final newline, so a
                       pattern value ending in \\n passes python-jsonschema;
                       ECMA-262's `$` does not (a Python dialect issue)
  type-ends-judgement  AWS stops at the first wrong JSON type; JSON Schema goes
                       on and applies the value's other keywords (0.5 is not an
                       integer, and below the minimum) and the other members

Exit 0 when nothing is unexplained, 1 otherwise; prints the table of classes.
"""

import argparse
import json
import subprocess
import sys

import jsonschema

KEYWORD = {
    'type': 'type', 'minLength': 'length_min', 'maxLength': 'length_max',
    'pattern': 'pattern', 'minItems': 'count_min', 'maxItems': 'count_max',
    'minimum': 'value_min', 'maximum': 'value_max',
}


def pointer(path):
    return ''.join('/' + str(p).replace('~', '~0').replace('/', '~1') for p in path)


def value_at(instance, ptr):
    v = instance
    for token in ptr.split('/')[1:]:
        token = token.replace('~1', '/').replace('~0', '~')
        v = v[int(token)] if isinstance(v, list) else v[token]
    return v


def schema_errors(validator, instance):
    """The validator's errors as a set of (pointer, constraint)."""
    out = set()

    def add(e):
        if e.validator == 'anyOf':
            # Optional members: anyOf [null, $ref]; what failed is the $ref branch.
            for sub in e.context:
                if sub.relative_schema_path and sub.relative_schema_path[0] == 1:
                    add(sub)
            return
        at = pointer(e.absolute_path)
        if e.validator == 'required':
            for name in e.validator_value:
                if isinstance(e.instance, dict) and name not in e.instance:
                    out.add((f'{at}/{name}', 'required'))
        elif e.validator == 'additionalProperties':
            known = e.schema.get('properties', {})
            for name in e.instance:
                if name not in known:
                    out.add((pointer(list(e.absolute_path) + [name]), 'unknown_member'))
        else:
            out.add((at, KEYWORD.get(e.validator, 'schema:' + str(e.validator))))

    for e in validator.iter_errors(instance):
        add(e)
    return out


class Duplicate(Exception):
    pass


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Duplicate()
    return dict(pairs)


def classify(label, instance, has_duplicates, got):
    """The class explaining a disagreement, or None."""
    want = {(e['pointer'], e['constraint']) for e in label['errors']}
    kinds = {e['constraint'] for e in label['errors']}
    missing, extra = want - got, got - want
    if has_duplicates and kinds == {'duplicate_member'}:
        return 'duplicate-member'
    if label['exception'] == 'SerializationException' and kinds == {'type'}:
        (ptr, _), = want
        if not missing:
            return 'type-ends-judgement'  # AWS's one error is there; the rest is extra
        v = value_at(instance, ptr)
        if isinstance(v, float) and v.is_integer() and not got:
            return 'integer-spelling'
        if isinstance(v, int) and not isinstance(v, bool) and got and \
                got <= {(ptr, 'value_min'), (ptr, 'value_max')}:
            return 'integer-width'
    if missing == {(p, 'required') for p, _ in missing} and missing and \
            extra == {(p, 'type') for p, _ in missing}:
        if all(value_at(instance, p) is None for p, _ in missing):
            return 'required-null'
    if missing and not extra and all(c == 'pattern' for _, c in missing):
        if all(isinstance(value_at(instance, p), str) and value_at(instance, p).endswith('\n')
               for p, _ in missing):
            return 'python-dollar'
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--spe', required=True)
    ap.add_argument('--revision', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--json', action='store_true')
    args = ap.parse_args()

    def export(*extra):
        text = subprocess.run([args.spe, 'schema', '--format', 'json-schema', '--revision',
                               args.revision, *extra], check=True, capture_output=True).stdout
        schema = json.loads(text)
        jsonschema.Draft202012Validator.check_schema(schema)
        return jsonschema.Draft202012Validator(schema)

    open_v, strict_v = export(), export('--strict')
    counts = {}
    agree = 0
    unexplained = []
    with open(f'{args.corpus}/manifest.jsonl', encoding='utf-8') as f:
        labels = [json.loads(line) for line in f if line.strip()]
    for label in labels:
        with open(f'{args.corpus}/{label["file"]}', 'rb') as f:
            body = f.read()
        if label['expect'] == 'malformed':
            counts['malformed-json'] = counts.get('malformed-json', 0) + 1
            continue
        text = body.decode('utf-8')
        instance = json.loads(text)
        try:
            json.loads(text, object_pairs_hook=_no_duplicates)
            has_duplicates = False
        except Duplicate:
            has_duplicates = True
        got = schema_errors(strict_v if label.get('strict') else open_v, instance)
        want = {(e['pointer'], e['constraint']) for e in label['errors']}
        if (label['expect'] == 'valid') == (not got) and got == want:
            agree += 1
            continue
        c = classify(label, instance, has_duplicates, got)
        if c is None:
            unexplained.append({'file': label['file'], 'why': label['why'],
                                'labels': sorted(want), 'schema': sorted(got)})
            c = 'unexplained'
        counts[c] = counts.get(c, 0) + 1

    report = {'revision': args.revision, 'bodies': len(labels), 'agree': agree,
              'classes': counts, 'unexplained': unexplained}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f'{args.revision}: {len(labels)} bodies, {agree} agree with the JSON Schema export')
        for name, n in sorted(counts.items()):
            print(f'  {name:20} {n:5}')
        for u in unexplained:
            print(f'  ! {u["file"]}: {u["why"]}\n      labels {u["labels"]}\n      schema {u["schema"]}')
    return 1 if unexplained or agree == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
