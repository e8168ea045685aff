#!/usr/bin/env python3
"""Convert google/cel-spec `tests/simple/testdata/*.textproto` into JSON fixtures for CapstanCEL.

Usage:
    scripts/cel-conformance-to-json.py CEL_SPEC_TESTDATA_DIR OUT_DIR [--commit SHA] [FILE ...]

Each output file `<name>.json` keeps the file/section/test structure. A test is
    {"name", "expr", "disableMacros"?, "disableCheck"?, "checkOnly"?, "container"?,
     "decls"?: [names], "bindings"?: {name: VALUE},
     "expect": {"value": VALUE} | {"error": "message"} | {"unknown": true},
     "deducedType"?: "...", "unrepresentable"?: "reason"}
VALUE uses the typed JSON encoding of `capstan cel --jsonl` (docs/cel.md): plain JSON for null, bool,
string and lists; {"int": "<decimal>"}, {"uint": "<decimal>"}, {"double": n | "NaN" | "Infinity" |
"-Infinity"}, {"bytes": "<base64>"}, {"map": [[k, v], ...]}, {"duration": "1.5s"},
{"timestamp": "<RFC 3339>"}, {"type": "<name>"}.

Protobuf messages other than the well-known types cannot be expressed as CEL values without
descriptors; such tests keep their expression but carry "unrepresentable" with the reason.
Only the Python standard library is used; the textproto reader below covers what the data files use.
"""
import base64
import datetime
import json
import math
import os
import sys

# --------------------------------------------------------------------------------------------
# A small protobuf text-format reader: messages become lists of (field, value) pairs.


class Msg(list):
    """An ordered list of (name, value) pairs; repeated fields appear several times."""

    def all(self, name):
        return [v for k, v in self if k == name]

    def get(self, name, default=None):
        for k, v in self:
            if k == name:
                return v
        return default


class Enum(str):
    """A bare identifier used as a value (enum constant)."""


class Reader:
    def __init__(self, text, path):
        self.s = text
        self.i = 0
        self.path = path

    def error(self, msg):
        line = self.s.count("\n", 0, self.i) + 1
        raise SystemExit(f"{self.path}:{line}: {msg}")

    def skip(self):
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            else:
                break

    def peek(self):
        self.skip()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, c):
        if self.peek() != c:
            self.error(f"expected {c!r}, found {self.peek()!r}")
        self.i += 1

    def ident(self):
        self.skip()
        j = self.i
        while j < len(self.s) and (self.s[j].isalnum() or self.s[j] in "_."):
            j += 1
        if j == self.i:
            self.error("expected identifier")
        word = self.s[self.i:j]
        self.i = j
        return word

    def message(self, close):
        out = Msg()
        while True:
            c = self.peek()
            if c == close:
                self.i += 1
                return out
            if c == "":
                if close == "":
                    return out
                self.error("unexpected end of input")
            if c == "[":
                self.i += 1
                j = self.s.index("]", self.i)
                name = "[" + self.s[self.i:j].strip() + "]"
                self.i = j + 1
            else:
                name = self.ident()
            c = self.peek()
            if c == ":":
                self.i += 1
                value = self.value()
            elif c in "{<":
                self.i += 1
                value = self.message("}" if c == "{" else ">")
            else:
                self.error(f"expected ':' or '{{' after {name}")
            if self.peek() in ",;":
                self.i += 1
            if isinstance(value, list) and not isinstance(value, Msg):
                for v in value:  # `field: [a, b]` is shorthand for repeating the field
                    out.append((name, v))
            else:
                out.append((name, value))

    def value(self):
        c = self.peek()
        if c in "{<":
            self.i += 1
            return self.message("}" if c == "{" else ">")
        if c == "[":
            self.i += 1
            items = []
            while self.peek() != "]":
                items.append(self.value())
                if self.peek() == ",":
                    self.i += 1
            self.i += 1
            return items
        if c in "'\"":
            data = b""
            while self.peek() in ("'", '"'):
                data += self.string()
            return data
        return self.scalar()

    def string(self):
        q = self.s[self.i]
        self.i += 1
        out = bytearray()
        s = self.s
        while True:
            if self.i >= len(s):
                self.error("unterminated string")
            c = s[self.i]
            if c == q:
                self.i += 1
                return bytes(out)
            if c == "\\":
                self.i += 1
                e = s[self.i]
                self.i += 1
                simple = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11,
                          "\\": 92, "'": 39, '"': 34, "?": 63}
                if e in simple:
                    out.append(simple[e])
                elif e in "01234567":
                    digits = e
                    while len(digits) < 3 and self.i < len(s) and s[self.i] in "01234567":
                        digits += s[self.i]
                        self.i += 1
                    out.append(int(digits, 8))
                elif e in "xX":
                    digits = ""
                    while len(digits) < 2 and s[self.i] in "0123456789abcdefABCDEF":
                        digits += s[self.i]
                        self.i += 1
                    out.append(int(digits, 16))
                elif e == "u":
                    out += chr(int(s[self.i:self.i + 4], 16)).encode()
                    self.i += 4
                elif e == "U":
                    out += chr(int(s[self.i:self.i + 8], 16)).encode()
                    self.i += 8
                else:
                    self.error(f"unknown escape \\{e}")
            else:
                out += c.encode()
                self.i += 1

    def scalar(self):
        self.skip()
        j = self.i
        while j < len(self.s) and (self.s[j].isalnum() or self.s[j] in "_.+-"):
            j += 1
        word = self.s[self.i:j]
        self.i = j
        if not word:
            self.error("expected value")
        low = word.lower()
        if low in ("inf", "infinity", "-inf", "-infinity", "nan", "-nan"):
            return float(low.replace("infinity", "inf"))
        try:
            if low.startswith(("0x", "-0x")):
                return int(word, 16)
            return int(word)
        except ValueError:
            pass
        try:
            return float(word.rstrip("fF"))
        except ValueError:
            return Enum(word)


# --------------------------------------------------------------------------------------------
# cel.expr.Value -> typed JSON


class Unrepresentable(Exception):
    pass


def fmt_double(d):
    if math.isnan(d):
        return {"double": "NaN"}
    if math.isinf(d):
        return {"double": "Infinity" if d > 0 else "-Infinity"}
    return {"double": d}


def fmt_duration(seconds, nanos):
    total = seconds * 1_000_000_000 + nanos
    sign = "-" if total < 0 else ""
    total = abs(total)
    s, n = divmod(total, 1_000_000_000)
    if n == 0:
        return f"{sign}{s}s"
    frac = f"{n:09d}".rstrip("0")
    return f"{sign}{s}.{frac}s"


def fmt_timestamp(seconds, nanos):
    t = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    base = t.strftime("%Y-%m-%dT%H:%M:%S")
    if nanos:
        base += "." + f"{nanos:09d}".rstrip("0")
    return base + "Z"


def as_number(v, default=0):
    if v is None:
        return default
    if isinstance(v, bytes):
        raise Unrepresentable("string where a number was expected")
    return v


def convert_value(v):
    """cel.expr.Value message -> typed JSON."""
    if not v:
        raise Unrepresentable("empty value")
    kind, payload = v[0]
    if kind == "null_value":
        return None
    if kind == "bool_value":
        return payload in (True, Enum("true"), 1) or payload == "true"
    if kind == "int64_value":
        return {"int": str(int(payload))}
    if kind == "uint64_value":
        return {"uint": str(int(payload))}
    if kind == "double_value":
        return fmt_double(float(payload))
    if kind == "string_value":
        return payload.decode("utf-8")
    if kind == "bytes_value":
        return {"bytes": base64.b64encode(payload).decode()}
    if kind == "list_value":
        return [convert_value(x) for x in payload.all("values")]
    if kind == "map_value":
        return {"map": [[convert_value(e.get("key")), convert_value(e.get("value"))] for e in payload.all("entries")]}
    if kind == "type_value":
        return {"type": payload.decode()}
    if kind == "enum_value":
        raise Unrepresentable("protobuf enum value")
    if kind == "object_value":
        return convert_object(payload)
    raise Unrepresentable(f"value kind {kind}")


def convert_object(any_msg):
    (url, body), = any_msg
    name = url.strip("[]").split("/")[-1]
    if name == "google.protobuf.Duration":
        return {"duration": fmt_duration(as_number(body.get("seconds")), as_number(body.get("nanos")))}
    if name == "google.protobuf.Timestamp":
        return {"timestamp": fmt_timestamp(as_number(body.get("seconds")), as_number(body.get("nanos")))}
    if name == "google.protobuf.Value":
        return convert_json_value(body)
    if name == "google.protobuf.Struct":
        return {"map": [[e.get("key").decode(), convert_json_value(e.get("value"))] for e in body.all("fields")]}
    if name == "google.protobuf.ListValue":
        return [convert_json_value(x) for x in body.all("values")]
    wrappers = {
        "google.protobuf.Int64Value": lambda x: {"int": str(int(x or 0))},
        "google.protobuf.Int32Value": lambda x: {"int": str(int(x or 0))},
        "google.protobuf.UInt64Value": lambda x: {"uint": str(int(x or 0))},
        "google.protobuf.UInt32Value": lambda x: {"uint": str(int(x or 0))},
        "google.protobuf.DoubleValue": lambda x: fmt_double(float(x or 0)),
        "google.protobuf.FloatValue": lambda x: fmt_double(float(x or 0)),
        "google.protobuf.BoolValue": lambda x: x in (True, "true", Enum("true"), 1),
        "google.protobuf.StringValue": lambda x: (x or b"").decode(),
        "google.protobuf.BytesValue": lambda x: {"bytes": base64.b64encode(x or b"").decode()},
    }
    if name in wrappers:
        return wrappers[name](body.get("value"))
    raise Unrepresentable(f"protobuf message {name}")


def convert_json_value(v):
    """google.protobuf.Value -> typed JSON (numbers are doubles in the JSON mapping)."""
    if v is None or len(v) == 0:
        return None
    kind, payload = v[0]
    if kind == "null_value":
        return None
    if kind == "number_value":
        return fmt_double(float(payload))
    if kind == "string_value":
        return payload.decode()
    if kind == "bool_value":
        return payload in (True, "true", Enum("true"), 1)
    if kind == "struct_value":
        return {"map": [[e.get("key").decode(), convert_json_value(e.get("value"))] for e in payload.all("fields")]}
    if kind == "list_value":
        return [convert_json_value(x) for x in payload.all("values")]
    raise Unrepresentable(f"JSON value kind {kind}")


def type_name(t):
    """cel.expr.Type -> a short readable name (informative only)."""
    if not t:
        return "dyn"
    kind, p = t[0]
    if kind == "primitive":
        return {"INT64": "int", "UINT64": "uint", "DOUBLE": "double", "BOOL": "bool", "STRING": "string",
                "BYTES": "bytes"}.get(str(p), str(p).lower())
    if kind == "list_type":
        return f"list({type_name(p.get('elem_type'))})"
    if kind == "map_type":
        return f"map({type_name(p.get('key_type'))}, {type_name(p.get('value_type'))})"
    if kind == "well_known":
        return {"TIMESTAMP": "google.protobuf.Timestamp", "DURATION": "google.protobuf.Duration",
                "ANY": "any"}.get(str(p), str(p))
    if kind == "message_type":
        return p.decode()
    if kind == "dyn":
        return "dyn"
    if kind == "null":
        return "null_type"
    if kind == "type":
        return f"type({type_name(p)})"
    if kind == "type_param":
        return p.decode()
    if kind == "abstract_type":
        params = ", ".join(type_name(x) for x in p.all("parameter_types"))
        return f"{p.get('name').decode()}({params})"
    if kind == "wrapper":
        return f"wrapper({str(p).lower()})"
    if kind == "error":
        return "error"
    return kind


def convert_test(t):
    out = {"name": t.get("name").decode(), "expr": t.get("expr").decode("utf-8")}
    if t.get("description"):
        out["description"] = t.get("description").decode()
    for flag, key in (("disable_macros", "disableMacros"), ("disable_check", "disableCheck"),
                      ("check_only", "checkOnly")):
        if t.get(flag) in (True, Enum("true"), 1):
            out[key] = True
    if t.get("container"):
        out["container"] = t.get("container").decode()
    reasons = []
    decls = []
    for d in t.all("type_env"):
        name = d.get("name").decode()
        if d.get("function") is not None:
            reasons.append(f"declares test function {name}")
            decls.append({"name": name, "function": True})
        else:
            decls.append({"name": name, "type": type_name(d.get("ident").get("type"))})
    if decls:
        out["decls"] = decls
    bindings = {}
    for b in t.all("bindings"):
        key = b.get("key").decode()
        ev = b.get("value")
        try:
            if ev.get("value") is None:
                raise Unrepresentable("binding is an error or unknown set")
            bindings[key] = convert_value(ev.get("value"))
        except Unrepresentable as e:
            reasons.append(f"binding {key}: {e}")
    if bindings:
        out["bindings"] = bindings
    try:
        if t.get("value") is not None:
            out["expect"] = {"value": convert_value(t.get("value"))}
        elif t.get("typed_result") is not None:
            tr = t.get("typed_result")
            out["deducedType"] = type_name(tr.get("deduced_type"))
            if tr.get("result") is not None:
                out["expect"] = {"value": convert_value(tr.get("result"))}
            else:
                out["expect"] = {"type": out["deducedType"]}
        elif t.get("eval_error") is not None:
            msgs = [e.get("message", b"").decode() for e in t.get("eval_error").all("errors")]
            out["expect"] = {"error": "; ".join(msgs)}
        elif t.get("any_eval_errors") is not None:
            msgs = [e.get("message", b"").decode() for s in t.get("any_eval_errors").all("errors")
                    for e in s.all("errors")]
            out["expect"] = {"error": " | ".join(msgs)}
        elif t.get("unknown") is not None or t.get("any_unknowns") is not None:
            out["expect"] = {"unknown": True}
            reasons.append("expects an unknown set (partial evaluation is not implemented)")
        else:
            out["expect"] = {"value": True}
    except Unrepresentable as e:
        reasons.append(f"expected result: {e}")
        out["expect"] = {"value": None}
    if reasons:
        out["unrepresentable"] = "; ".join(reasons)
    return out


def convert_file(path):
    with open(path, encoding="utf-8") as f:
        root = Reader(f.read(), path).message("")
    out = {"name": root.get("name").decode(), "sections": []}
    if root.get("description"):
        out["description"] = root.get("description").decode()
    for s in root.all("section"):
        sec = {"name": s.get("name").decode(), "tests": [convert_test(t) for t in s.all("test")]}
        if s.get("description"):
            sec["description"] = s.get("description").decode()
        out["sections"].append(sec)
    return out


def main(argv):
    args = [a for a in argv[1:]]
    commit = None
    if "--commit" in args:
        i = args.index("--commit")
        commit = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        print(__doc__)
        return 2
    src, dst = args[0], args[1]
    names = args[2:] or sorted(n[:-len(".textproto")] for n in os.listdir(src) if n.endswith(".textproto"))
    os.makedirs(dst, exist_ok=True)
    for name in names:
        data = convert_file(os.path.join(src, name + ".textproto"))
        if commit:
            data["source"] = f"google/cel-spec@{commit}:tests/simple/testdata/{name}.textproto"
        tests = [t for s in data["sections"] for t in s["tests"]]
        unrep = sum(1 for t in tests if "unrepresentable" in t)
        with open(os.path.join(dst, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{name}: {len(tests)} tests, {unrep} unrepresentable")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
