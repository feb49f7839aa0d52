; Ruby tags: modules, classes (also `class A::B`), methods (`def`; top-level defs are
; functions), singleton methods (`def self.x`, and defs in `class << self`), constants
; (`FOO = 1`, `A::FOO = 1`), attribute accessors (fields), `alias`/`alias_method`; calls
; with a receiver, bare calls with arguments or a block, `Foo.new` (also a call of Foo),
; `require`/`require_relative`/`load` (imports of the path string, not calls),
; superclasses and `include`/`extend`/`prepend` (inheritance).
; Earlier patterns win when two capture the same name.
; @context: the receiver of a call (`obj.m` -> obj, `Foo.new` -> Foo), the
; scope of `A::B` (A).

; ---- definitions

; `class Outer::Inner`: Outer is the receiver, so the class is Outer.Inner.
(class
  name: (scope_resolution
    scope: (constant) @receiver
    name: (constant) @name)) @definition.class

(class
  name: [(constant) @name (scope_resolution name: (constant) @name)]) @definition.class

(module
  name: (scope_resolution
    scope: (constant) @receiver
    name: (constant) @name)) @definition.module

(module
  name: [(constant) @name (scope_resolution name: (constant) @name)]) @definition.module

; `def` at the top level of a file defines a function, anywhere else a method.
(program
  (method
    name: (_) @name) @definition.function)

(method
  name: (_) @name) @definition.method

(singleton_method
  name: (_) @name) @definition.method

(assignment
  left: (scope_resolution
    scope: (constant) @receiver
    name: (constant) @name)) @definition.constant

(assignment
  left: [(constant) @name (scope_resolution name: (constant) @name)]) @definition.constant

; `attr_reader :name, :age` (also attr_writer, attr_accessor; names as symbols or
; strings): a field per name, named without its colon or quotes.
(call
  method: (identifier) @_attr
  arguments: (argument_list
    [(simple_symbol) @name @definition.field
     (string (string_content) @name @definition.field)])
  (#any-of? @_attr "attr_reader" "attr_writer" "attr_accessor"))

; `alias new old` and `alias_method :new, :old` define `new` (a function at the top level
; of a file, as for `def`).
(program
  (alias
    name: [(identifier) (constant) (operator) (setter) (simple_symbol)] @name) @definition.function)

(alias
  name: [(identifier) (constant) (operator) (setter) (simple_symbol)] @name) @definition.method

(call
  method: (identifier) @_alias
  arguments: (argument_list
    .
    [(simple_symbol) @name (string (string_content) @name)])
  (#eq? @_alias "alias_method")) @definition.method

; ---- references

(call
  method: (identifier) @method
  arguments: (argument_list
    . (string . (string_content) @name .))
  (#any-of? @method "require" "require_relative" "load")) @reference.import

(superclass
  [(constant) @name (scope_resolution scope: (_)? @context name: (constant) @name)]) @reference.inherit

; `include Comparable`, `extend Forwardable`, `prepend Mod::Ext` (one tag per module).
((call
  !receiver
  method: (identifier) @method
  arguments: (argument_list
    [(constant) @name (scope_resolution scope: (_)? @context name: (constant) @name)])) @reference.inherit
  (#any-of? @method "include" "extend" "prepend"))

; `Foo.new(...)`, `Mod::Foo.new`: an instantiation, a call of the class.
((call
  receiver: [(constant) @name (scope_resolution scope: (_)? @context name: (constant) @name)]
  method: (identifier) @method) @reference.call
  (#eq? @method "new"))

; `obj.name`, `obj&.save!`, `Foo.bar(1)`, `self.count`.
(call
  receiver: (_) @context
  method: (identifier) @name) @reference.call

; Bare calls with arguments or a block: `puts "x"`, `validate :name`, `loop do ... end`.
; A bare name without either is indistinguishable from a local variable.
((call
  !receiver
  method: (identifier) @name
  arguments: (argument_list)) @reference.call
  (#not-match? @name "^(require|require_relative|load|include|extend|prepend)$"))

((call
  !receiver
  method: (identifier) @name
  block: (_)) @reference.call
  (#not-match? @name "^(require|require_relative|load|include|extend|prepend)$"))
