#!/usr/bin/env python3
"""Prints "PASSED FAILED SKIPPED" for one test result file: a TRX (Microsoft.Testing.Platform's TrxReport) or a JUnit
XML (CTest's --output-junit). Exit 2 when the file is missing or holds no counts, so a run that wrote nothing is never
read as zero failures.

    scripts/test_counts.py TestResults/Harness.Tests.trx
    scripts/test_counts.py TestResults/native-ctest.junit.xml
"""
import sys
import xml.etree.ElementTree as ET


def trx_counts(root):
    # TRX elements live in the VS 2010 test namespace; the run's totals are ResultSummary/Counters.
    counters = root.find("{*}ResultSummary/{*}Counters")
    if counters is None:
        return None
    n = lambda name: int(counters.get(name, "0"))
    # Errors, timeouts and aborted tests are failures for CI; tests not executed (Assert.Ignore, GPU absent) are skipped.
    failed = n("failed") + n("error") + n("timeout") + n("aborted")
    return n("passed"), failed, n("notExecuted")


def junit_counts(root):
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if not suites:
        return None
    n = lambda name: sum(int(s.get(name, "0")) for s in suites)
    failed = n("failures") + n("errors")
    skipped = n("skipped") + n("disabled")
    return n("tests") - failed - skipped, failed, skipped


def main():
    if len(sys.argv) != 2:
        print("usage: test_counts.py RESULTS.trx|RESULTS.xml", file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"test_counts: cannot read {path}: {e}", file=sys.stderr)
        return 2
    counts = trx_counts(root) if root.tag.endswith("TestRun") else junit_counts(root)
    if counts is None:
        print(f"test_counts: {path} holds no result counts", file=sys.stderr)
        return 2
    print(*counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
