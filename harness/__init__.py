"""What the tests, the benchmarks and the fuzzers share: git under a hermetic
environment, generated repositories (the hostile corpus, the fault-injection history) and
the fault-injection run itself. Not installed; imported from a checkout's root
(``python -m pytest``, ``python -m bench.NAME``, ``python -m harness.NAME``)."""
