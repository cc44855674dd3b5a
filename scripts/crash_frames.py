#!/usr/bin/env python3
"""The crashed thread of a .NET crash report (DOTNET_EnableCrashReport=1), one frame a line.

    scripts/crash_frames.py REPORT.crashreport.json [LIBDIR...]

Each frame shows its module, the offset in that module and the function: the managed method, the exported symbol the
runtime found, or, for a module found in one of the LIBDIRs and where addr2line is installed, addr2line's function and
source line (the native library is built with symbols, so an offset in it names the kernel's host code).
Exit status: 0 when a crashed thread was found, 1 when the report names none, 2 when the file is not a crash report.
"""
import json
import os
import shutil
import subprocess
import sys


def symbolise(module, offset, libdirs):
    addr2line = shutil.which("addr2line")
    for folder in libdirs:
        path = os.path.join(folder, module)
        if addr2line and os.path.isfile(path):
            done = subprocess.run([addr2line, "-f", "-C", "-e", path, offset], capture_output=True, text=True)
            lines = done.stdout.split("\n")
            if done.returncode == 0 and len(lines) >= 2 and lines[0] != "??":
                return f"{lines[0]} ({lines[1]})"
    return None


def frame_text(frame, libdirs):
    if frame.get("is_managed") == "true":
        return f"  managed  {frame.get('filename', '?')}  {frame.get('method_name', '?')}"
    module = frame.get("native_module", "?")
    offset = frame.get("native_image_offset", "?")
    name = symbolise(module, offset, libdirs) or frame.get("unmanaged_name", "?")
    return f"  native   {module}+{offset}  {name}"


def main(argv):
    if len(argv) < 2:
        print("usage: crash_frames.py REPORT.crashreport.json [LIBDIR...]", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            threads = json.load(f)["payload"]["threads"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"crash_frames: {argv[1]} is not a .NET crash report ({e})", file=sys.stderr)
        return 2
    crashed = [t for t in threads if str(t.get("crashed")).lower() == "true"]
    if not crashed:
        print(f"crash_frames: {argv[1]} names no crashed thread ({len(threads)} threads)")
        return 1
    for thread in crashed:
        print(f"crashed thread {thread.get('native_thread_id', '?')}:")
        for frame in thread.get("stack_frames", []):
            print(frame_text(frame, argv[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
