; Python tags. Earlier patterns win when two capture the same name.
; @context: the module of a `from` import, the object of a member access.

; ---- definitions
(class_definition
  name: (identifier) @name) @definition.class

(function_definition
  name: (identifier) @name) @definition.function

; Module-level constants: UPPER_CASE = ...; `A, B = ...` gives one per name
(module
  (assignment
    left: (identifier) @name) @definition.constant
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

(module
  (assignment
    left: [(pattern_list (identifier) @name @definition.constant)
           (tuple_pattern (identifier) @name @definition.constant)])
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

; Other module-level names are variables (`log = getLogger()`, `JsonDict = dict[str, Any]`,
; `T = TypeVar("T")`), but not the module's dunders (`__all__`) or `_`
(module
  (assignment
    left: (identifier) @name) @definition.variable
  (#not-match? @name "^(__.*__|_)$"))

(module
  (assignment
    left: [(pattern_list (identifier) @name @definition.variable)
           (tuple_pattern (identifier) @name @definition.variable)])
  (#not-match? @name "^(__.*__|_)$"))

; Class attributes with a value or annotation: `x: int = 0`
(class_definition
  body: (block
    (assignment
      left: (identifier) @name) @definition.field))

; ---- references
(decorator
  [(identifier) @name
   (attribute attribute: (identifier) @name)
   (call function: [(identifier) @name (attribute attribute: (identifier) @name)])]) @reference.call

(call
  function: (identifier) @name) @reference.call

(call
  function: (attribute
    object: (_) @context
    attribute: (identifier) @name)) @reference.call

(class_definition
  superclasses: (argument_list
    [(identifier) @name
     (attribute object: (_) @context attribute: (identifier) @name)])) @reference.inherit

(import_statement
  name: [(dotted_name) @name
         (aliased_import name: (dotted_name) @name)]) @reference.import

(import_from_statement
  module_name: (_) @context
  name: [(dotted_name (identifier) @name .)
         (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(import_from_statement
  module_name: [(dotted_name) @name (relative_import) @name]) @reference.import

(type
  [(identifier) @name
   (attribute attribute: (identifier) @name)
   (generic_type (identifier) @name)]) @reference.type

(attribute
  object: (_) @context
  attribute: (identifier) @name) @reference.read
