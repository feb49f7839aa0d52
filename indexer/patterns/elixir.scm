; Elixir tags. Definitions are macro calls, told apart by the name they call:
; `defmodule` (module), `defprotocol` (interface: its `def`s are methods), `defimpl`
; (module `Proto.Target`), `def`/`defp`/`defdelegate`/`defn` (function), `defmacro`/
; `defguard` (macro), `defstruct`/`defexception` fields, `defrecord` (record), `@type`/
; `@typep`/`@opaque` (type), `@callback` (function), `@macrocallback` (macro) and module
; attributes (`@timeout 5_000`: constant). Each clause of a multi-clause function is a
; definition of its own. A dotted module name is one token: `defmodule MyApp.Repo` defines
; `Repo` in `MyApp` (qualified `MyApp.Repo`), and a use of `MyApp.Repo` names `Repo` with
; context `MyApp`.
; References: local and remote calls (also without parentheses and after `|>`), captures
; (`&f/1`, `&Mod.f/2`: reads), map and struct fields read with a dot, `@attr` reads,
; modules used as values (reads), `%Struct{}` (type), `alias`/`import`/`require`/`use`
; (import), `@behaviour`, `@derive` and a `defimpl`'s protocol (inherit), types in
; `@spec`/`@type`/`@callback` (type; a spec's head names the function it types), and the
; reserved module attributes (`@doc`, `@impl`, `@spec`, ...: decorator). Calls of the
; definition macros and of control forms (`if`, `case`, `with`, ...) are not references.
; Earlier patterns win when two capture the same name.
; @context: the module or value a remote call or field belongs to (`Repo.insert(x)` ->
; Repo, `user.name` -> user), the prefix of a dotted module name, and the list prefix of
; `alias MyApp.{Repo, User}` (MyApp).

; ---- definitions

((call
  target: (identifier) @_def
  (arguments . (alias) @name @receiver)) @definition.module
  (#eq? @_def "defmodule"))

((call
  target: (identifier) @_def
  (arguments . (alias) @name @receiver)) @definition.interface
  (#eq? @_def "defprotocol"))

; `defimpl Size, for: BitString` defines the module Size.BitString; `defimpl Size` inside
; a module (the target is that module) is named by its protocol.
((call
  target: (identifier) @_def
  (arguments
    . (alias) @receiver
    (keywords
      (pair
        key: (keyword) @_for
        value: (alias) @name)))) @definition.module
  (#eq? @_def "defimpl")
  (#match? @_for "^for:"))

((call
  target: (identifier) @_def
  (arguments . (alias) @name @receiver .)) @definition.module
  (#eq? @_def "defimpl"))

; `def name(args)`, `def name`, `def name(args) when guard`, `def name when guard`,
; `def a + b` (an operator). `def unquote(name)()` names nothing we can read.
((call
  target: (identifier) @_def
  (arguments
    .
    [(call target: (identifier) @name)
     (identifier) @name
     (binary_operator
       left: [(call target: (identifier) @name) (identifier) @name]
       operator: "when")])) @definition.function
  (#any-of? @_def "def" "defp" "defdelegate" "defn" "defnp"))

((call
  target: (identifier) @_def
  (arguments
    .
    [(call target: (identifier) @name)
     (identifier) @name
     (binary_operator
       left: [(call target: (identifier) @name) (identifier) @name]
       operator: "when")])) @definition.macro
  (#any-of? @_def "defmacro" "defmacrop" "defguard" "defguardp"))

((call
  target: (identifier) @_def
  (arguments
    .
    (binary_operator
      left: (identifier)
      operator: _ @name
      right: (identifier)))) @definition.function
  (#any-of? @_def "def" "defp")
  (#not-eq? @name "when"))

((call
  target: (identifier) @_def
  (arguments
    .
    (binary_operator
      left: (identifier)
      operator: _ @name
      right: (identifier)))) @definition.macro
  (#any-of? @_def "defmacro" "defmacrop")
  (#not-eq? @name "when"))

; `defstruct [:name, age: 0]`, `defstruct name: nil`, and the same for `defexception`:
; a field per name.
((call
  target: (identifier) @_def
  (arguments
    [(list (atom) @name @definition.field)
     (list (keywords (pair key: (keyword) @name) @definition.field))
     (keywords (pair key: (keyword) @name) @definition.field)]))
  (#any-of? @_def "defstruct" "defexception"))

; `defrecord :user, name: nil` and `Record.defrecord(:user, ...)`
((call
  target: [(identifier) @_def (dot right: (identifier) @_def)]
  (arguments . (atom) @name)) @definition.record
  (#any-of? @_def "defrecord" "defrecordp"))

; `@type t :: ...`, `@typep t(a) :: ...`, `@opaque t :: ...`
(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments
      (binary_operator
        left: [(identifier) @name (call target: (identifier) @name)]
        operator: "::")))
  (#any-of? @_attr "type" "typep" "opaque")) @definition.type

; `@callback init(args) :: result` (also with `when`): the functions a behaviour asks for
(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments
      [(binary_operator
         left: [(identifier) @name (call target: (identifier) @name)]
         operator: "::")
       (binary_operator
         left: (binary_operator
           left: [(identifier) @name (call target: (identifier) @name)]
           operator: "::")
         operator: "when")]))
  (#eq? @_attr "callback")) @definition.function

(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments
      [(binary_operator
         left: [(identifier) @name (call target: (identifier) @name)]
         operator: "::")
       (binary_operator
         left: (binary_operator
           left: [(identifier) @name (call target: (identifier) @name)]
           operator: "::")
         operator: "when")]))
  (#eq? @_attr "macrocallback")) @definition.macro

; ExUnit: `test "adds two numbers" do ... end` (a definition named by its description,
; so what a test calls has it as caller); not `describe`, which only groups tests.
((call
  target: (identifier) @_test
  (arguments . (string . (quoted_content) @name .))
  (do_block)) @definition.test
  (#eq? @_test "test"))

; ---- references

; The reserved module attributes annotate the module or the next definition.
(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @name
    (#any-of? @name
      "after_compile" "after_verify" "before_compile" "behaviour" "callback" "compile"
      "deprecated" "derive" "dialyzer" "doc" "enforce_keys" "external_resource" "file"
      "impl" "macrocallback" "moduledoc" "moduletag" "describetag" "tag" "on_definition"
      "on_load" "opaque" "optional_callbacks" "spec" "type" "typedoc" "typep" "vsn"
      "shortdoc" "requirements" "preferred_cli_env" "recursive" "since"))) @reference.decorator

; Module attributes: `@timeout 5_000` defines, `@timeout` reads.
(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @name
    (arguments)
    (#not-match? @name "^(after_compile|after_verify|before_compile|behaviour|callback|compile|deprecated|derive|dialyzer|doc|enforce_keys|external_resource|file|impl|macrocallback|moduledoc|moduletag|describetag|tag|on_definition|on_load|opaque|optional_callbacks|spec|type|typedoc|typep|vsn|shortdoc|requirements|preferred_cli_env|recursive|since)$"))) @definition.constant

(unary_operator
  operator: "@"
  operand: (identifier) @name) @reference.read

; `alias MyApp.Repo`, `import Ecto.Query`, `require Logger`, `use GenServer`
((call
  target: (identifier) @_directive
  (arguments . (alias) @name @context)) @reference.import
  (#any-of? @_directive "alias" "import" "require" "use"))

; `alias MyApp.{Repo, User}`
((call
  target: (identifier) @_directive
  (arguments
    .
    (dot
      left: (alias) @context
      right: (tuple (alias) @name)))) @reference.import
  (#any-of? @_directive "alias" "import" "require" "use"))

(unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments [(alias) @name @context (list (alias) @name @context)]))
  (#any-of? @_attr "behaviour" "derive")) @reference.inherit

((call
  target: (identifier) @_def
  (arguments . (alias) @name @context)) @reference.inherit
  (#eq? @_def "defimpl"))

; The target of `defimpl Proto, for: Target` is the definition's own name, not a read.
((call
  target: (identifier) @_def
  (arguments
    (keywords
      (pair
        key: (keyword) @_for
        value: (alias) @name)))) @reference.type
  (#eq? @_def "defimpl")
  (#match? @_for "^for:"))

; Types in typespecs, down to six levels: `@spec f(String.t()) :: {:ok, [t()]} | :error`
((unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments
      [(_ [(call target: (identifier) @name)
           (call target: (dot left: (_) @context right: (identifier) @name))
           (identifier) @name])
       (_ (_ [(call target: (identifier) @name)
              (call target: (dot left: (_) @context right: (identifier) @name))]))
       (_ (_ (_ [(call target: (identifier) @name)
                 (call target: (dot left: (_) @context right: (identifier) @name))])))
       (_ (_ (_ (_ [(call target: (identifier) @name)
                    (call target: (dot left: (_) @context right: (identifier) @name))]))))
       (_ (_ (_ (_ (_ [(call target: (identifier) @name)
                       (call target: (dot left: (_) @context right: (identifier) @name))])))))
       (_ (_ (_ (_ (_ (_ [(call target: (identifier) @name)
                          (call target: (dot left: (_) @context right: (identifier) @name))]))))))]))) @reference.type
  (#any-of? @_attr "spec" "type" "typep" "opaque" "callback" "macrocallback"))

; Bare type names where a value cannot stand: in tuples, lists, unions, after `::`,
; in keyword lists and as arguments (`{:ok, term}`, `[atom]`, `t | nil`, `when a: term`,
; `list(t)`).
((unary_operator
  operator: "@"
  operand: (call
    target: (identifier) @_attr
    (arguments
      [[(tuple (identifier) @name)
         (arguments (identifier) @name)
         (list (identifier) @name)
         (binary_operator left: (identifier) @name operator: "|")
         (binary_operator operator: "|" right: (identifier) @name)
         (binary_operator operator: "::" right: (identifier) @name)
         (pair value: (identifier) @name)]
       (_ [(tuple (identifier) @name)
            (arguments (identifier) @name)
            (list (identifier) @name)
            (binary_operator left: (identifier) @name operator: "|")
            (binary_operator operator: "|" right: (identifier) @name)
            (binary_operator operator: "::" right: (identifier) @name)
            (pair value: (identifier) @name)])
       (_ (_ [(tuple (identifier) @name)
               (arguments (identifier) @name)
               (list (identifier) @name)
               (binary_operator left: (identifier) @name operator: "|")
               (binary_operator operator: "|" right: (identifier) @name)
               (binary_operator operator: "::" right: (identifier) @name)
               (pair value: (identifier) @name)]))
       (_ (_ (_ [(tuple (identifier) @name)
                  (arguments (identifier) @name)
                  (list (identifier) @name)
                  (binary_operator left: (identifier) @name operator: "|")
                  (binary_operator operator: "|" right: (identifier) @name)
                  (binary_operator operator: "::" right: (identifier) @name)
                  (pair value: (identifier) @name)])))
       (_ (_ (_ (_ [(tuple (identifier) @name)
                     (arguments (identifier) @name)
                     (list (identifier) @name)
                     (binary_operator left: (identifier) @name operator: "|")
                     (binary_operator operator: "|" right: (identifier) @name)
                     (binary_operator operator: "::" right: (identifier) @name)
                     (pair value: (identifier) @name)]))))]))) @reference.type
  (#any-of? @_attr "spec" "type" "typep" "opaque" "callback" "macrocallback"))

(map
  (struct [(alias) @name @context (dot left: (_) @context right: (alias) @name)])) @reference.type

; `&helper/1`, `&Enum.map/2`: a function as a value
(unary_operator
  operator: "&"
  operand: (binary_operator
    left: [(identifier) @name
           (call target: (dot left: (_) @context right: (identifier) @name))]
    operator: "/")) @reference.read

((call
  target: (identifier) @name) @reference.call
  (#not-match? @name "^(def|defp|defmacro|defmacrop|defguard|defguardp|defdelegate|defn|defnp|defmodule|defprotocol|defimpl|defstruct|defexception|defoverridable|defrecord|defrecordp|alias|import|require|use|quote|unquote|unquote_splicing|case|cond|if|unless|with|for|receive|try|fn|super|__block__)$"))

; `Repo.insert(x)`, `Kernel.+(1, 2)`, `:ets.new(...)`, `Mod.fun` without parentheses
(call
  target: (dot
    left: (_) @context
    right: [(identifier) (operator_identifier)] @name)
  (arguments)) @reference.call

(call
  target: (dot
    left: [(alias) (atom)] @context
    right: (identifier) @name)) @reference.call

; `user.name`: a field of a map or struct
(call
  target: (dot
    left: (_) @context
    right: (identifier) @name)) @reference.read

; `x |> transform`
(binary_operator
  operator: "|>"
  right: (identifier) @name) @reference.call

; Modules used as values: `GenServer.start_link(Worker, [])`, `to: Map`, `[A, B]`
(arguments (alias) @name @context @reference.read)

(pair value: (alias) @name @context @reference.read)

(list (alias) @name @context @reference.read)

(tuple (alias) @name @context @reference.read)

(binary_operator left: (alias) @name @context) @reference.read

(binary_operator right: (alias) @name @context) @reference.read
