; Ruby tags: modules, classes (also `class A::B`), methods (`def`; top-level defs are
; functions), singleton methods (`def self.x`, and defs in `class << self`), constants
; (`FOO = 1`, `A::FOO = 1`), attribute accessors (fields), `alias`/`alias_method`; calls
; with a receiver, bare calls with arguments or a block, `Foo.new` (also a call of Foo),
; `require`/`require_relative`/`load` (imports of the path string, not calls),
; superclasses and `include`/`extend`/`prepend` (inheritance).
; Earlier patterns win when two capture the same name.
; Every other constant is read (an argument, a value assigned, returned or defaulted, an
; element); a bare name that is no local is a call (Ruby's `total` is `total()`); rescue
; clauses and `is_a?` arguments are type uses.
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

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py).

(method_parameters
  [(identifier) @name
   (optional_parameter name: (identifier) @name)
   (keyword_parameter name: (identifier) @name)
   (splat_parameter name: (identifier) @name)
   (hash_splat_parameter name: (identifier) @name)
   (block_parameter name: (identifier) @name)] @binding.param)

(block_parameters
  [(identifier) @name
   (optional_parameter name: (identifier) @name)
   (keyword_parameter name: (identifier) @name)
   (splat_parameter name: (identifier) @name)
   (hash_splat_parameter name: (identifier) @name)
   (block_parameter name: (identifier) @name)
   (destructured_parameter (identifier) @name)] @binding.param)

(lambda_parameters (identifier) @name @binding.param)

; A block is a scope: its parameters and locals are its own; so is a file's top level.
[(block) (do_block) (lambda) (program)] @name @binding.scope

; `x = Foo.new(...)`, `@x = Mod::Foo.new`: a Foo. An instance variable is bound on the
; object (@context: itself, `@x` is `self`'s).
((assignment
  left: [(identifier) @name (instance_variable) @name @context]
  right: (call
    receiver: [(constant) (scope_resolution name: (constant))] @value
    method: (identifier) @_new)) @binding.call
  (#eq? @_new "new"))

; `x = y`, `@x = param`: what y is.
(assignment
  left: [(identifier) @name (instance_variable) @name @context]
  right: (identifier) @value) @binding.alias

(assignment left: (identifier) @name) @binding.local
(operator_assignment left: (identifier) @name) @binding.local
(left_assignment_list (identifier) @name @binding.local)
(for pattern: (identifier) @name) @binding.local

; `rescue ShopError => e`: an e is a ShopError.
(rescue
  exceptions: (exceptions . [(constant) (scope_resolution name: (constant))] @type .)
  variable: (exception_variable (identifier) @name)) @binding.local

(exception_variable (identifier) @name) @binding.local

; ---- references

; names that use nothing: the methods that load, mix in and define accessors
((identifier) @name @reference.skip
  (#any-of? @name "require" "require_relative" "load" "include" "extend" "prepend"))

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

; `rescue ShopError, Mod::Failure`, `x.is_a?(Item)`: type uses.
(exceptions
  [(constant) @name (scope_resolution scope: (_)? @context name: (constant) @name)] @reference.type)

((call
  method: (identifier) @_test
  arguments: (argument_list
    .
    [(constant) @name (scope_resolution scope: (_)? @context name: (constant) @name)] .)) @reference.type
  (#any-of? @_test "is_a?" "kind_of?" "instance_of?"))

; `Mod::VALUE`, `Mod::Inner` (the scope itself is read below)
(scope_resolution
  scope: (_) @context
  name: (constant) @name) @reference.read

(constant) @name @reference.read

; A bare name that no parameter or local binds calls a method without arguments.
(identifier) @name @reference.call
