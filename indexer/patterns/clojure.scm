; Clojure tags. Definitions are lists told apart by their head symbol: `ns` (the
; namespace qualifies every later definition, as a package), `defn`/`defn-` (function;
; each arity of a multi-arity `defn` is the same definition), `defmacro` (macro), `def`/
; `defonce` (variable), `defmulti` (function) and `defmethod` (method), `defprotocol`
; (interface) with its method signatures (methods), `defrecord` (record), `deftype`
; (class) and `definterface` (interface) with their fields and the methods they
; implement, `deftest` (test). `extend-type`/`extend-protocol` scope the methods they
; define under the extended type (a Rust `impl`: `(extend-type String Shape (area ...))`
; defines `String.area`). Definitions inside reader conditionals and `comment` forms
; count too.
; References: calls (a list's head symbol, `(str/join ", " xs)`; not special forms,
; definition forms or the core control macros), namespace-qualified symbols used as
; values (`str/blank?`: reads), `:require`/`:use`/`:import` in `ns` and `(require ...)`
; (import of the namespace or class, and of each `:refer`red name), protocols a
; `defrecord`/`deftype`/`extend-type`/`reify` implements (inherit), the type
; `extend-type` extends and type hints (`^String s`, `^java.util.Date d`: type; a dotted
; class name is split as in `:import`). Java interop forms (`(.method obj)`, `(Class.)`)
; are left out.
; Earlier patterns win when two capture the same name.
; @context: the namespace of a qualified symbol (`str/join` -> str), the namespace of a
; `:refer`red name, the package of an imported class (`java.util.Date` -> java.util).

; ---- definitions
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.package
  (#eq? @_head "ns"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.function
  (#any-of? @_head "defn" "defn-" "defmulti"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.macro
  (#eq? @_head "defmacro"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.variable
  (#any-of? @_head "def" "defonce"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.method
  (#eq? @_head "defmethod"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.test
  (#eq? @_head "deftest"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.interface
  (#any-of? @_head "defprotocol" "definterface"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.record
  (#eq? @_head "defrecord"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @definition.class
  (#eq? @_head "deftype"))

; `(extend-type String Shape (area [s] ...))`, `(extend-protocol Shape String (area ...))`
; (the first type named)
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @scope
  (#eq? @_head "extend-type"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit)
  .
  (sym_lit name: (sym_name) @name)) @scope
  (#eq? @_head "extend-protocol"))

; Fields of `(defrecord Circle [r] ...)` and `(deftype Box [w h] ...)`
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit)
  .
  (vec_lit (sym_lit name: (sym_name) @name) @definition.field))
  (#any-of? @_head "defrecord" "deftype"))

; Method signatures of a protocol or interface, methods a record, type or extension
; implements: `(area [this] ...)`; not those of `reify` (an anonymous object)
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  (list_lit
    .
    (sym_lit name: (sym_name) @name)) @definition.method)
  (#any-of? @_head "defprotocol" "definterface" "defrecord" "deftype" "extend-type" "extend-protocol"))

; ---- references

; `(:require [my.db :refer [query] :as db] clojure.set)`, `(:use ...)`, and the
; same quoted in `(require '[...])`: the namespace, and each referred name
((list_lit
  .
  (kwd_lit name: (kwd_name) @_kind)
  (vec_lit
    .
    (sym_lit name: (sym_name) @context)
    (kwd_lit name: (kwd_name) @_refer)
    .
    (vec_lit (sym_lit name: (sym_name) @name)))) @reference.import
  (#any-of? @_kind "require" "use")
  (#eq? @_refer "refer"))

((list_lit
  .
  (kwd_lit name: (kwd_name) @_kind)
  [(sym_lit name: (sym_name) @name)
   (vec_lit . (sym_lit name: (sym_name) @name))]) @reference.import
  (#any-of? @_kind "require" "use"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  (quoting_lit
    [(sym_lit name: (sym_name) @name)
     (vec_lit . (sym_lit name: (sym_name) @name))])) @reference.import
  (#any-of? @_head "require" "use"))

; `(:import java.util.Date (java.io File Reader))`: the class (java.util.Date is Date in
; java.util), the package of a list and each class of it
((list_lit
  .
  (kwd_lit name: (kwd_name) @_kind)
  (sym_lit name: (sym_name) @name @context)) @reference.import
  (#eq? @_kind "import"))

((list_lit
  .
  (kwd_lit name: (kwd_name) @_kind)
  [(list_lit . (sym_lit name: (sym_name) @name))
   (vec_lit . (sym_lit name: (sym_name) @name))]) @reference.import
  (#eq? @_kind "import"))

((list_lit
  .
  (kwd_lit name: (kwd_name) @_kind)
  [(list_lit . (sym_lit name: (sym_name) @context) (sym_lit name: (sym_name) @name))
   (vec_lit . (sym_lit name: (sym_name) @context) (sym_lit name: (sym_name) @name))]) @reference.import
  (#eq? @_kind "import"))

; Protocols and interfaces implemented by `(defrecord Circle [r] Shape ...)`,
; `(deftype ...)`, `(extend-type String Shape ...)`, `(reify Shape ...)`
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit)
  .
  (vec_lit)
  (sym_lit namespace: (sym_ns)? @context name: (sym_name) @name)) @reference.inherit
  (#any-of? @_head "defrecord" "deftype"))

; The type `extend-type` extends (which also names the scope of its methods)
((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit name: (sym_name) @name)) @reference.type
  (#eq? @_head "extend-type"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit)
  (sym_lit namespace: (sym_ns)? @context name: (sym_name) @name)) @reference.inherit
  (#eq? @_head "extend-type"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  .
  (sym_lit namespace: (sym_ns)? @context name: (sym_name) @name)) @reference.inherit
  (#eq? @_head "extend-protocol"))

((list_lit
  .
  (sym_lit name: (sym_name) @_head)
  (sym_lit namespace: (sym_ns)? @context name: (sym_name) @name)) @reference.inherit
  (#eq? @_head "reify"))

; Type hints: `^String s`, `^java.util.Date d`
(meta_lit
  value: [(sym_lit namespace: (sym_ns) @context name: (sym_name) @name)
          (sym_lit !namespace name: (sym_name) @name @context)]) @reference.type

((list_lit
  .
  (sym_lit namespace: (sym_ns)? @context name: (sym_name) @name)) @reference.call
  (#not-match? @name "^(def|defn|defn-|defmacro|defmulti|defmethod|defonce|defprotocol|defrecord|deftype|definterface|defstruct|deftest|declare|ns|in-ns|extend-type|extend-protocol|reify|proxy|quote|var|fn|fn\\*|let|letfn|loop|recur|if|if-not|if-let|if-some|when|when-not|when-let|when-some|when-first|cond|condp|cond->|cond->>|case|do|and|or|not|->|->>|some->|some->>|as->|doto|binding|for|doseq|dotimes|while|try|catch|finally|throw|new|set!|monitor-enter|monitor-exit|comment|import|require|use)$")
  (#not-match? @name "^\\.|\\.$"))

(sym_lit
  namespace: (sym_ns) @context
  name: (sym_name) @name) @reference.read
