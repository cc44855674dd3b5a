#!/usr/bin/env python3
"""Make a copy of a shared library loadable on a system whose libstdc++ is older than the one it was linked against.

TorchSharp 0.107.0's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 (GCC 13+) only because of
std::ios_base_library_init(), which it references and never calls. Debian 12's libstdc++ stops at 3.4.30,
so the dynamic loader refuses the library. Marking that one version requirement VER_FLG_WEAK in the
.gnu.version_r section turns the refusal into nothing (glibc's loader ignores missing weak versions).

Usage: weaken_glibcxx.py LIBRARY [LIBSTDCXX]
Edits LIBRARY in place (call it on a build-output copy, never on the NuGet cache or a system file).
Does nothing when the system libstdc++ already defines every required GLIBCXX version.
"""
import ctypes.util
import os
import struct
import sys

VER_FLG_WEAK = 0x2
SHT_GNU_VERNEED = 0x6FFFFFFE


def system_libstdcxx() -> str:
    for candidate in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"):
        if os.path.exists(candidate):
            return candidate
    found = ctypes.util.find_library("stdc++")
    if not found:
        sys.exit("weaken_glibcxx: no system libstdc++ found")
    return found


def defined_versions(libstdcxx: str) -> set[bytes]:
    with open(libstdcxx, "rb") as f:
        data = f.read()
    out = set()
    start = 0
    while (i := data.find(b"GLIBCXX_", start)) >= 0:
        end = data.find(b"\0", i)
        out.add(data[i:end])
        start = end
    return out


def weaken(path: str, available: set[bytes]) -> list[str]:
    with open(path, "rb") as f:
        elf = bytearray(f.read())
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        sys.exit(f"weaken_glibcxx: {path} is not a 64-bit little-endian ELF file")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + k * shentsize) for k in range(shnum)]
    changed = []
    for sec in sections:
        if sec[1] != SHT_GNU_VERNEED:
            continue
        strtab = sections[sec[6]]
        str_off = strtab[4]
        vn = sec[4]
        for _ in range(sec[7]):  # sh_info = number of Verneed entries
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", elf, vn)
            aux = vn + vn_aux
            for _ in range(vn_cnt):
                _, flags, _, name_off, aux_next = struct.unpack_from("<IHHII", elf, aux)
                name_start = str_off + name_off
                name = bytes(elf[name_start:elf.index(b"\0", name_start)])
                if name.startswith(b"GLIBCXX_") and name not in available and not flags & VER_FLG_WEAK:
                    struct.pack_into("<H", elf, aux + 4, flags | VER_FLG_WEAK)
                    changed.append(name.decode())
                aux += aux_next
            if vn_next == 0:
                break
            vn += vn_next
    if changed:
        tmp = path + ".weakening"
        with open(tmp, "wb") as f:
            f.write(elf)
        os.chmod(tmp, os.stat(path).st_mode)
        os.replace(tmp, path)
    return changed


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    lib = sys.argv[1]
    if not os.path.exists(lib):
        sys.exit(f"weaken_glibcxx: {lib} does not exist")
    available = defined_versions(sys.argv[2] if len(sys.argv) == 3 else system_libstdcxx())
    changed = weaken(lib, available)
    if changed:
        print(f"weaken_glibcxx: marked {', '.join(changed)} weak in {lib}")


if __name__ == "__main__":
    main()
