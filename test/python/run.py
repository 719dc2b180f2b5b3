#!/usr/bin/env python3
"""Runs every test/python/test_*.py with unittest and ends with mocha's words, "N passing" and
"N failing", which scripts/test.js counts for its summary line.

    /usr/bin/python3 test/python/run.py [-v] [pattern]
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class CountingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def main(argv):
    verbose = "-v" in argv
    patterns = [a for a in argv if not a.startswith("-")]
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for pattern in patterns or ["test_*.py"]:
        suite.addTests(loader.discover(HERE, pattern=pattern if pattern.endswith(".py") else f"*{pattern}*.py",
                                       top_level_dir=HERE))
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2 if verbose else 1, resultclass=CountingResult)
    started = time.time()
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    print(f"\n  {result.passed} passing ({time.time() - started:.1f}s)")
    if result.skipped:
        print(f"  {len(result.skipped)} pending")
    if failed:
        print(f"  {failed} failing")
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
