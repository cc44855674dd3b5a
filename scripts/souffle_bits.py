#!/usr/bin/env python3
"""Compares two `harness dump --format npz` files of one scenario tensor by tensor, bit for bit.

    scripts/souffle_bits.py A.npz B.npz [LABEL] [--spread C.npz]

For every tensor both hold (same shape and dtype): how many elements differ in their bits, the largest difference in
units in the last place of the stored dtype (float16 or float32; NaN against a number counts as a difference of
infinite ulps), and the first differing index. Prints a Markdown table; standard library only (no numpy), so it runs
on a GPU machine whatever its Python has.
--spread C.npz: a second run of B's variant; every row then also gives B against C. A tensor whose bits differ
between B and C is one where B's variant is not deterministic (the upstream Souffle kernels' fp32 atomics,
docs/SEMANTICS.md §3): it is listed, with both differences side by side, and left out of the verdict.
Exit status 0 when every common tensor is bit-equal (with --spread: every tensor where B's variant is deterministic),
1 when some differ, 2 on unreadable input.
"""
import ast
import struct
import sys
import zipfile

FORMATS = {"<f2": ("e", "H", 2), "<f4": ("f", "I", 4)}


def read_npz(path):
    """{name: (dtype, shape, raw bytes)} of the .npy members of an .npz."""
    tensors = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            data = archive.read(member)
            if data[:6] != b"\x93NUMPY":
                raise ValueError(f"{path}: {member} is not an .npy array")
            major = data[6]
            if major == 1:
                length = struct.unpack("<H", data[8:10])[0]
                start = 10
            else:
                length = struct.unpack("<I", data[8:12])[0]
                start = 12
            header = ast.literal_eval(data[start:start + length].decode("latin1"))
            if header["fortran_order"]:
                raise ValueError(f"{path}: {member} is in Fortran order")
            name = member[:-4] if member.endswith(".npy") else member
            tensors[name] = (header["descr"], tuple(header["shape"]), data[start + length:])
    return tensors


def ordered(bits, width):
    """Maps the bits of an IEEE value to an integer whose order is the values' order (so ulps are differences)."""
    sign = 1 << (8 * width - 1)
    return -(bits & (sign - 1)) if bits & sign else bits


def is_nan(bits, width):
    exponent_mask = 0x7C00 if width == 2 else 0x7F800000
    fraction_mask = 0x03FF if width == 2 else 0x007FFFFF
    return (bits & exponent_mask) == exponent_mask and (bits & fraction_mask) != 0


def compare(a, b):
    """(elements, differing, max ulp, first differing index) of two raw arrays of one dtype."""
    dtype, _, raw_a = a
    _, _, raw_b = b
    _, unsigned, width = FORMATS[dtype]
    count = len(raw_a) // width
    bits_a = struct.unpack(f"<{count}{unsigned}", raw_a)
    bits_b = struct.unpack(f"<{count}{unsigned}", raw_b)
    differing, worst, first = 0, 0, None
    for i, (x, y) in enumerate(zip(bits_a, bits_b)):
        if x == y:
            continue
        differing += 1
        first = i if first is None else first
        if is_nan(x, width) or is_nan(y, width):
            worst = float("inf")
        else:
            worst = max(worst, abs(ordered(x, width) - ordered(y, width)))
    return count, differing, worst, first


def main(argv):
    args = list(argv[1:])
    spread_path = None
    if "--spread" in args:
        i = args.index("--spread")
        if i + 1 >= len(args):
            print("souffle_bits: --spread needs a file", file=sys.stderr)
            return 2
        spread_path = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    label = args[2] if len(args) > 2 else f"{args[0]} vs {args[1]}"
    try:
        left, right = read_npz(args[0]), read_npz(args[1])
        spread = read_npz(spread_path) if spread_path else {}
    except (OSError, ValueError, zipfile.BadZipFile, SyntaxError, KeyError) as error:
        print(f"souffle_bits: {error}", file=sys.stderr)
        return 2
    print(f"### {label}\n")
    extra = " | B run to run: differing | B run to run: max ulp |" if spread_path else " |"
    print("| tensor | dtype | elements | differing | max ulp | first differing index" + extra)
    print("|---|---|---|---|---|---|" + ("---|---|" if spread_path else ""))
    all_equal = True
    nondeterministic = []
    for name in left:
        if name not in right:
            continue
        a, b = left[name], right[name]
        if a[0] != b[0] or a[1] != b[1] or a[0] not in FORMATS:
            print(f"| {name} | {a[0]} / {b[0]} | {a[1]} / {b[1]} | not comparable | - | - |" + (" - | - |" if spread_path else ""))
            all_equal = False
            continue
        count, differing, worst, first = compare(a, b)
        row = f"| {name} | {a[0]} | {count} | {differing} | {worst} | {'-' if first is None else first} |"
        own = spread.get(name)
        if own is not None and own[:2] == b[:2]:
            _, own_differing, own_worst, _ = compare(b, own)
            row += f" {own_differing} | {own_worst} |"
            if own_differing:
                nondeterministic.append(name)
        elif spread_path:
            row += " - | - |"
        print(row)
        if name not in nondeterministic:
            all_equal = all_equal and differing == 0
    only = sorted(set(left) ^ set(right))
    if only:
        print(f"\nin one file only: {', '.join(only)}")
    if nondeterministic:
        print(f"\nnot judged bit for bit (B differs from itself between runs): {', '.join(nondeterministic)}")
    scope = "where B is deterministic" if spread_path else "on every common tensor"
    print(f"\n{'bit-equal ' + scope if all_equal else 'NOT bit-equal ' + scope}\n")
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
