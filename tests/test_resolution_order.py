"""Answers do not depend on the order questions come in (DESIGN invariant 7).

A resolver keeps what it worked out for the next questions; each case below is a pair
of uses that look alike (the same name, the same context text, in one file) but mean
different definitions. One index asked about both, in either order, must answer each
as a fresh index would.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries import open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

# `self.dent` is a DirEntryInner in DirEntry's method and a DirEntry in Work's.
RUST_SELF_FIELD = """\
struct Inner {}

impl Inner {
    fn path(&self) -> u8 {
        1
    }
}

struct Entry {
    dent: Inner,
}

impl Entry {
    fn path(&self) -> u8 {
        self.dent.path()
    }
}

struct Work {
    dent: Entry,
}

impl Work {
    fn run(&self) -> u8 {
        self.dent.path()
    }
}
"""

# `this.store` is a Disk in one class and a Cloud in the other.
TS_THIS_FIELD = """\
class Disk {
  save(): void {}
}

class Cloud {
  save(): void {}
}

class Local {
  store: Disk = new Disk();
  flush(): void {
    this.store.save();
  }
}

class Remote {
  store: Cloud = new Cloud();
  flush(): void {
    this.store.save();
  }
}
"""

# `searcher` is a local of another type in each function; its chain has a call.
RUST_LOCAL_CHAIN = """\
struct Plain {}

impl Plain {
    fn get(&self) -> u8 {
        1
    }
}

struct Fancy {}

impl Fancy {
    fn get(&self) -> u8 {
        2
    }
}

struct A {}

impl A {
    fn printer(&self) -> Plain {
        Plain {}
    }
}

struct B {}

impl B {
    fn printer(&self) -> Fancy {
        Fancy {}
    }
}

fn one() -> u8 {
    let searcher = A {};
    searcher.printer().get()
}

fn two() -> u8 {
    let searcher = B {};
    searcher.printer().get()
}
"""

# One array argument fills a `params` parameter as the array; several fill it element
# by element. (Which overloads are kept is as loose as ever: the point is that the
# answers are the same in either order.)
CSHARP_PARAMS = """\
interface IPolicy {}

interface IPolicy<T> {}

static class Policy {
    public static int Wrap(this IPolicy outer, IPolicy inner) { return 0; }

    public static int Wrap(params IPolicy[] policies) { return 1; }

    public static int Wrap<T>(params IPolicy<T>[] policies) { return 2; }
}

class Use {
    void Many(IPolicy a, IPolicy b) { Policy.Wrap(a, b); }

    void One() {
        IPolicy[] all = null!;
        Policy.Wrap(all);
    }
}
"""

# A class defined again in the body that uses it: each use sees the one before it first.
PYTHON_REDEFINED = """\
def steps():
    class Step:
        size = 1

    first = Step()

    class Step:
        size = 2

    return first, Step()
"""

CASES = {
    "rust-self-field": (
        "src/lib.rs",
        RUST_SELF_FIELD,
        "path",
        [(15, [4]), (25, [14])],
    ),
    "typescript-this-field": (
        "src/store.ts",
        TS_THIS_FIELD,
        "save",
        [(12, [2]), (19, [6])],
    ),
    "csharp-params": (
        "src/Use.cs",
        CSHARP_PARAMS,
        "Wrap",
        [(14, [6, 8, 10]), (18, [8, 10])],
    ),
    "python-redefined": (
        "steps.py",
        PYTHON_REDEFINED,
        "Step",
        [(5, [2, 7]), (10, [7, 2])],
    ),
    "rust-local-chain": (
        "src/lib.rs",
        RUST_LOCAL_CHAIN,
        "get",
        [(35, [4]), (40, [12])],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_alike_uses_answer_alike_in_either_order(case: str, make_repo: MakeRepo) -> None:
    # Each use's answer: the definitions whose names are on the lines given.
    path, source, word, expected = CASES[case]
    repo = make_repo()
    repo.write(path, source)
    repo.commit(case)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    lines = source.splitlines()
    for order in (expected, expected[::-1]):
        with open_index(repo.path) as index:
            for line, defined in order:
                found = index.goto(path, line, lines[line - 1].rindex(word))
                assert [s.start_line for s in found.targets] == defined, (order, line)
