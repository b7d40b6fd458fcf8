#!/usr/bin/env python3
"""botocore as a peer of `spe diff`: judges request bodies with botocore's own
ParamValidator and the installed botocore's own model of StartPipelineExecution.

Protocol (README, "spe diff"): the body on stdin, the revision in SPE_REVISION
(botocore-1.29 or botocore-1.43: it must be the installed botocore's -- 1.43 is
the image's python3, 1.29 Debian's /usr/bin/python3); exit 0 accept, 1 reject,
2 malformed; one JSON object {"errors": [{"pointer", "constraint"}]} on stdout.
With SPE_BATCH=1 (spe diff --batch) the adapter reads one request per line,
{"file", "revision", "strict", "body": base64}, and answers each with one line
{"exit": 0|1|2, "errors": [...]} -- one Python start-up for a whole corpus
instead of one per body (botocore's import and model load take ~0.5 s).

botocore validates Python values, not JSON text, so the adapter does the JSON
part with Python's json, held to RFC 8259 the way the service is: strict UTF-8
(undecodable bytes, a BOM, and \\u escapes that leave a lone surrogate are
malformed), no NaN/Infinity, and duplicate member names caught with
object_pairs_hook (a SerializationException on AWS: exit 1, constraint
duplicate_member at the first repeat in document order). Python's json has no
depth bound of its own short of its recursion limit.

botocore's report is mapped to the protocol's (pointer, constraint) pairs:
  missing required field -> required        at the missing member
  unknown field          -> unknown_member  at the unknown member
  invalid type           -> type
  invalid length         -> length_min (strings) or count_min (lists)
  invalid range          -> value_min
botocore checks no pattern and no maximum (length, count or value), accepts
any Python int (and bool) for integer and long, rejects a null (None) member
that AWS reads as absent, and always rejects unknown members (AWS ignores them
unless spe's --strict): the README tabulates these classes. SPE_STRICT is
therefore irrelevant to botocore and ignored.
"""

import base64
import json
import os
import re
import sys

# Exit statuses of the protocol; 64 for a revision this botocore is not.
ACCEPT, REJECT, MALFORMED, USAGE = 0, 1, 2, 64

OPERATION = 'StartPipelineExecution'
_operations = {}


class Malformed(Exception):
    def __init__(self, constraint):
        super().__init__(constraint)
        self.constraint = constraint


class WrongBotocore(Exception):
    pass


def installed_revision():
    import botocore
    return 'botocore-' + '.'.join(botocore.__version__.split('.')[:2])


def input_shape(revision):
    """The request shape from the installed botocore's own model."""
    if revision not in _operations:
        have = installed_revision()
        if revision != have:
            raise WrongBotocore(
                f'{sys.executable} has {have}, not {revision} '
                '(botocore-1.43: the image python3; botocore-1.29: /usr/bin/python3)')
        import botocore.session
        model = botocore.session.get_session().get_service_model('sagemaker')
        _operations[revision] = model.operation_model(OPERATION).input_shape
    return _operations[revision]


# ---- JSON, strictly ---------------------------------------------------------

class _Pairs(list):
    """An object's members in document order, duplicates kept."""


def _reject_constant(name):
    raise Malformed('syntax')  # NaN, Infinity, -Infinity


def _escape(token):
    return token.replace('~', '~0').replace('/', '~1')


def _has_surrogate(s):
    return any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def _to_python(value, pointer, found):
    """Dicts from _Pairs; records the first duplicate (document order) and
    rejects strings that hold a lone surrogate."""
    if isinstance(value, _Pairs):
        out = {}
        for key, member in value:
            if _has_surrogate(key):
                raise Malformed('syntax')
            where = pointer + '/' + _escape(key)
            if key in out and found[0] is None:
                found[0] = where
            converted = _to_python(member, where, found)
            out.setdefault(key, converted)
        return out
    if isinstance(value, list):
        return [_to_python(v, f'{pointer}/{i}', found) for i, v in enumerate(value)]
    if isinstance(value, str) and _has_surrogate(value):
        raise Malformed('syntax')
    return value


def parse(body):
    """(params, duplicate_pointer or None); raises Malformed."""
    try:
        text = body.decode('utf-8', errors='strict')
    except UnicodeDecodeError:
        raise Malformed('utf8') from None
    if text.startswith('\ufeff'):
        raise Malformed('utf8')
    try:
        raw = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_reject_constant)
    except RecursionError:
        raise Malformed('depth') from None
    except ValueError:  # json.JSONDecodeError
        raise Malformed('syntax') from None
    found = [None]
    try:
        params = _to_python(raw, '', found)
    except RecursionError:
        raise Malformed('depth') from None
    return params, found[0]


# ---- botocore's report as (pointer, constraint) ---------------------------------

_STEP = re.compile(r'\.([^.\[]+)|\[(\d+)\]')


def _route(name):
    """botocore's '.PipelineParameters[2].Name' as ['PipelineParameters', '2', 'Name']."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _STEP.finditer(name)]


def _shape_at(shape, route):
    for step in route:
        if shape.type_name == 'structure':
            shape = shape.members[step]
        elif shape.type_name == 'list':
            shape = shape.member
    return shape


def _pointer(route, last=None):
    steps = route + ([last] if last is not None else [])
    return ''.join('/' + _escape(s) for s in steps)


def report_to_errors(report, shape):
    errors = []
    # ValidationErrors keeps (reason, name, details); it has no public
    # accessor other than the formatted text, in 1.29 as in 1.43.
    for reason, name, details in report._errors:
        route = _route(name)
        if reason == 'missing required field':
            errors.append((_pointer(route, details['required_name']), 'required'))
        elif reason == 'unknown field':
            errors.append((_pointer(route, details['unknown_param']), 'unknown_member'))
        elif reason == 'invalid type':
            errors.append((_pointer(route), 'type'))
        elif reason == 'invalid length':
            at = _shape_at(shape, route)
            errors.append((_pointer(route), 'count_min' if at.type_name == 'list' else 'length_min'))
        elif reason == 'invalid range':
            errors.append((_pointer(route), 'value_min'))
        else:
            errors.append((_pointer(route), 'botocore:' + reason))
    return errors


def judge(body, revision):
    """(exit status, [(pointer, constraint)])."""
    shape = input_shape(revision)
    try:
        params, duplicate = parse(body)
    except Malformed as e:
        return MALFORMED, [('', e.constraint)]
    if duplicate is not None:
        return REJECT, [(duplicate, 'duplicate_member')]
    from botocore.validate import ParamValidator
    errors = report_to_errors(ParamValidator().validate(params, shape), shape)
    return (REJECT if errors else ACCEPT), errors


def as_json(status, errors, file):
    # The reply names its body, so that spe diff catches a reply out of step.
    return json.dumps({'file': file, 'exit': status,
                       'errors': [{'pointer': p, 'constraint': c} for p, c in errors]})


def main():
    # RFC 8259 sets no limit on a number's digits; Python 3.11's int() does
    # (4300), and its ValueError would read as malformed JSON.
    if hasattr(sys, 'set_int_max_str_digits'):
        sys.set_int_max_str_digits(0)
    revision = os.environ.get('SPE_REVISION') or installed_revision()
    if os.environ.get('SPE_BATCH') == '1':
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                status, errors = judge(base64.b64decode(request['body']), request['revision'])
            except WrongBotocore as e:
                print(f'botocore_adapter: {e}', file=sys.stderr, flush=True)
                status, errors = USAGE, []
            sys.stdout.write(as_json(status, errors, request['file']) + '\n')
            sys.stdout.flush()
        return ACCEPT
    try:
        status, errors = judge(sys.stdin.buffer.read(), revision)
    except WrongBotocore as e:
        print(f'botocore_adapter: {e}', file=sys.stderr)
        return USAGE
    print(json.dumps({'errors': [{'pointer': p, 'constraint': c} for p, c in errors]}))
    return status


if __name__ == '__main__':
    sys.exit(main())
