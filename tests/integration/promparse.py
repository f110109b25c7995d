"""A strict parser of the Prometheus text exposition format (0.0.4) for the
tests: every line must be a HELP, TYPE or comment line or a well-formed
sample; a family's samples are contiguous and come after its TYPE; no series
twice; histograms have ascending cumulative buckets ending in +Inf equal to
_count, and _sum. Raises ValueError naming the line."""
import math
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
SAMPLE = re.compile(rf"^({NAME})(\{{(.*)\}})? (\S+)( -?\d+)?$")
LABEL_PAIR = re.compile(rf'({LABEL})="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_value(text, where):
    if text in ("NaN", "+Inf", "-Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.match(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$", text):
        raise ValueError(f"{where}: bad value {text!r}")
    return float(text)


def parse_labels(text, where):
    labels = {}
    pos = 0
    while pos < len(text):
        m = LABEL_PAIR.match(text, pos)
        if not m:
            raise ValueError(f"{where}: bad labels {text!r}")
        name, value = m.group(1), m.group(2)
        if name in labels:
            raise ValueError(f"{where}: label {name} twice")
        labels[name] = (value.replace("\\n", "\n").replace('\\"', '"')
                        .replace("\\\\", "\\"))
        pos = m.end()
    return labels


def family_of(name, types):
    for suffix in ("_bucket", "_sum", "_count"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) == "histogram":
            return base
    return name


def parse(text):
    """{family: {"type", "help", "samples": [(name, labels, value)]}}."""
    if text and not text.endswith("\n"):
        raise ValueError("the last line does not end with a newline")
    families, types, seen_series, done = {}, {}, set(), set()
    current = None
    for n, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {n}"
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not re.fullmatch(NAME, name):
                    raise ValueError(f"{where}: bad name {name!r}")
                fam = families.setdefault(name, {"type": "untyped", "help": None,
                                                 "samples": []})
                if parts[1] == "HELP":
                    if fam["help"] is not None:
                        raise ValueError(f"{where}: second HELP for {name}")
                    fam["help"] = parts[3] if len(parts) > 3 else ""
                else:
                    if name in types:
                        raise ValueError(f"{where}: second TYPE for {name}")
                    if fam["samples"]:
                        raise ValueError(f"{where}: TYPE after samples of {name}")
                    kind = parts[3] if len(parts) > 3 else ""
                    if kind not in TYPES:
                        raise ValueError(f"{where}: unknown type {kind!r}")
                    types[name] = kind
                    fam["type"] = kind
            continue
        if not line.strip():
            raise ValueError(f"{where}: empty line")
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"{where}: not a sample: {line!r}")
        name, labels = m.group(1), parse_labels(m.group(3) or "", where)
        value = parse_value(m.group(4), where)
        fam_name = family_of(name, types)
        if fam_name != current:
            if fam_name in done:
                raise ValueError(f"{where}: samples of {fam_name} not together")
            if current is not None:
                done.add(current)
            current = fam_name
        key = (name, tuple(sorted(labels.items())))
        if key in seen_series:
            raise ValueError(f"{where}: series {key} twice")
        seen_series.add(key)
        fam = families.setdefault(fam_name, {"type": "untyped", "help": None,
                                             "samples": []})
        if fam["type"] == "counter" and (value < 0 or math.isnan(value)):
            raise ValueError(f"{where}: negative counter")
        fam["samples"].append((name, labels, value))
    for name, fam in families.items():
        if fam["type"] == "histogram":
            check_histogram(name, fam["samples"])
    return families


def check_histogram(name, samples):
    series = {}
    for sname, labels, value in samples:
        base = {k: v for k, v in labels.items() if k != "le"}
        s = series.setdefault(tuple(sorted(base.items())),
                              {"buckets": [], "sum": None, "count": None})
        if sname == name + "_bucket":
            if "le" not in labels:
                raise ValueError(f"{name}: bucket without le")
            s["buckets"].append((parse_value(labels["le"], name), value))
        elif sname == name + "_sum":
            s["sum"] = value
        elif sname == name + "_count":
            s["count"] = value
        else:
            raise ValueError(f"{name}: unexpected sample {sname}")
    for key, s in series.items():
        les = [le for le, _ in s["buckets"]]
        if les != sorted(les) or not les or les[-1] != math.inf:
            raise ValueError(f"{name}{key}: buckets not ascending to +Inf: {les}")
        counts = [c for _, c in s["buckets"]]
        if any(b < a for a, b in zip(counts, counts[1:])):
            raise ValueError(f"{name}{key}: buckets not cumulative")
        if s["sum"] is None or s["count"] is None:
            raise ValueError(f"{name}{key}: _sum or _count missing")
        if counts[-1] != s["count"]:
            raise ValueError(f"{name}{key}: +Inf bucket != _count")


def value(families, family, sample=None, **labels):
    """The value of one series (0 when absent)."""
    fam = families.get(family)
    if not fam:
        return 0
    for name, ls, v in fam["samples"]:
        if name == (sample or family) and all(ls.get(k) == w for k, w in labels.items()):
            return v
    return 0
