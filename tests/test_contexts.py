"""The @context of references: the module an import comes from, the object of a member
access, the qualifier of a qualified name. One snippet per language, checked exactly."""

from __future__ import annotations

import pytest

from symbiote.indexer.extract import extract
from symbiote.indexer.schema import STATUS_OK

Use = tuple[str, str, str | None]

CASES: dict[str, tuple[str, list[Use]]] = {
    "javascript": (
        """\
import Default, { a as b } from "./lib/x";
import * as ns from "pkg";
export { c } from "./c.js";
class K extends base.Base {}
this.client.send(msg);
new mod.Thing();
obj.field;
""",
        [
            ("Default", "import", '"./lib/x"'),
            ("a", "import", '"./lib/x"'),
            ("./lib/x", "import", None),
            ("ns", "import", '"pkg"'),
            ("pkg", "import", None),
            ("c", "import", '"./c.js"'),
            ("./c.js", "import", None),
            ("base", "read", None),
            ("Base", "inherit", "base"),
            ("client", "read", "this"),
            ("send", "call", "this.client"),
            ("msg", "read", None),
            ("mod", "read", None),
            ("Thing", "call", "mod"),
            ("obj", "read", None),
            ("field", "read", "obj"),
        ],
    ),
    "typescript": (
        """\
import type { T } from "./types";
import fs = require("fs");
class K extends ns.Base implements api.Service {}
let v: pkg.Type = this.client.send();
""",
        [
            ("T", "import", '"./types"'),
            ("./types", "import", None),
            ("fs", "import", '"fs"'),
            ("fs", "import", None),
            ("ns", "read", None),
            ("Base", "inherit", "ns"),
            ("api", "read", None),
            ("Service", "inherit", "api"),
            ("pkg", "read", None),
            ("Type", "type", "pkg"),
            ("client", "read", "this"),
            ("send", "call", "this.client"),
        ],
    ),
    "tsx": (
        """\
import React, { useState } from "react";
const App = () => <Layout.Grid onClick={() => store.save()} />;
class W extends React.Component<Props> {}
""",
        [
            ("React", "import", '"react"'),
            ("useState", "import", '"react"'),
            ("react", "import", None),
            ("Layout", "read", None),
            ("Grid", "call", "Layout"),
            ("store", "read", None),
            ("save", "call", "store"),
            ("React", "read", None),
            ("Component", "inherit", "React"),
            ("Props", "type", None),
        ],
    ),
    "go": (
        """\
package main

import (
\t"fmt"
\th "net/http"
)

type S struct {
\tio.Reader
\tc *h.Client
}

func f(c *S) {
\tfmt.Println(c.c)
\tc.Send()
}
""",
        [
            ("fmt", "import", None),
            ("net/http", "import", "h"),
            ("Reader", "inherit", "io"),
            ("Client", "type", "h"),
            ("S", "type", None),
            ("fmt", "read", None),
            ("Println", "call", "fmt"),
            ("c", "read", "c"),
            ("Send", "call", "c"),
        ],
    ),
    "java": (
        """\
import com.acme.util.Strings;
import static java.util.Objects.requireNonNull;

class A extends com.acme.Base {
  void f() {
    repo.save(x);
    Foo.bar();
    run();
    list.forEach(Foo::print);
    this.count = Strings.EMPTY;
  }
}
""",
        [
            ("Strings", "import", "com.acme.util"),
            ("requireNonNull", "import", "java.util.Objects"),
            ("Base", "inherit", "com.acme"),
            ("repo", "read", None),
            ("save", "call", "repo"),
            ("x", "read", None),
            ("Foo", "read", None),
            ("bar", "call", "Foo"),
            ("run", "call", None),
            ("list", "read", None),
            ("forEach", "call", "list"),
            ("Foo", "read", None),
            ("print", "call", "Foo"),
            ("count", "write", "this"),
            ("Strings", "read", None),
            ("EMPTY", "read", "Strings"),
        ],
    ),
    "rust": (
        """\
use a::b::C;
use std::io::{Read, prelude::Write as W};
impl fmt::Display for S {}
fn f() {
    self.x.y();
    Foo::new();
    ::top();
}
""",
        [
            ("C", "import", "a::b"),
            ("Read", "import", "std::io"),
            ("Write", "import", "prelude"),
            ("fmt", "read", None),
            ("Display", "inherit", "fmt"),
            ("S", "type", None),
            ("x", "read", "self"),
            ("y", "call", "self.x"),
            ("Foo", "read", None),
            ("new", "call", "Foo"),
            ("top", "call", None),
        ],
    ),
    "csharp": (
        """\
using System.IO;
class A : Ns.Base {
    void M() { obj.Run(); x?.Go(); this.count = 1; }
}
""",
        [
            ("IO", "import", "System"),
            ("Ns", "read", None),
            ("Base", "inherit", "Ns"),
            ("obj", "read", None),
            ("Run", "call", "obj"),
            ("x", "read", None),
            ("Go", "call", "x"),
            ("count", "write", "this"),
        ],
    ),
    "cpp": (
        """\
#include <vector>
class A : public ns::Base {};
void f() {
    a->b();
    ns::g();
    x::y::z();
    std::vector<int> v;
    obj.field = 1;
}
""",
        [
            ("<vector>", "import", None),
            ("ns", "read", None),
            ("Base", "inherit", "ns"),
            ("a", "read", None),
            ("b", "call", "a"),
            ("ns", "read", None),
            ("g", "call", "ns"),
            ("x", "read", None),
            ("y", "read", "x"),
            ("z", "call", "x::y"),
            ("std", "read", None),
            ("vector", "type", "std"),
            ("obj", "read", None),
            ("field", "write", "obj"),
        ],
    ),
    "c": (
        """\
#include "x.h"
void f(struct ops *o) {
    o->run(o->arg);
}
""",
        [
            ("x.h", "import", None),
            ("ops", "type", None),
            ("run", "call", "o"),
            ("arg", "read", "o"),
        ],
    ),
    "ruby": (
        """\
require "json"
class A < Base::Record
  def f
    obj.m
    Mod::Foo.new
  end
end
""",
        [
            ("json", "import", None),
            ("Base", "read", None),
            ("Record", "inherit", "Base"),
            ("obj", "call", None),
            ("m", "call", "obj"),
            ("Mod", "read", None),
            ("Foo", "call", "Mod"),
            ("new", "call", "Mod::Foo"),
        ],
    ),
    "php": (
        """\
<?php
use App\\Models\\User;
use A\\B\\{C, D as E};
class X extends \\App\\Base {
    function f() {
        $this->m();
        Foo::m();
        $this->p;
        new \\App\\Foo();
    }
}
""",
        [
            ("App\\Models\\User", "import", None),
            ("A\\B", "import", None),
            ("C", "import", "A\\B"),
            ("D", "import", "A\\B"),
            ("Base", "inherit", "App"),
            ("m", "call", "$this"),
            ("Foo", "type", None),
            ("m", "call", "Foo"),
            ("p", "read", "$this"),
            ("Foo", "call", "App"),
        ],
    ),
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_reference_contexts(language: str) -> None:
    source, expected = CASES[language]
    extraction = extract(language, source.encode())
    assert extraction.status == STATUS_OK, extraction.detail
    references = sorted(extraction.references, key=lambda r: r.start_byte)
    assert [(r.name, r.kind, r.context) for r in references] == expected
