; Python tags. Earlier patterns win when two capture the same name.
; @context: the module of a `from` import, the object of a member access.

; ---- definitions
(class_definition
  name: (identifier) @name) @definition.class

(function_definition
  name: (identifier) @name
  return_type: (type)? @type) @definition.function

; Module-level constants: UPPER_CASE = ...; `A, B = ...` gives one per name
(module
  (assignment
    left: (identifier) @name
    type: (type)? @type) @definition.constant
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
    left: (identifier) @name
    type: (type)? @type) @definition.variable
  (#not-match? @name "^(__.*__|_)$"))

(module
  (assignment
    left: [(pattern_list (identifier) @name @definition.variable)
           (tuple_pattern (identifier) @name @definition.variable)])
  (#not-match? @name "^(__.*__|_)$"))

; Names assigned in a block of a module-level `if` or `try` are module-level names too
; (`if TYPE_CHECKING:`, `try: ... except ImportError:`), constants as above
(module
  [(if_statement
     consequence: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.constant))
   (if_statement
     alternative: (elif_clause consequence: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.constant)))
   (if_statement
     alternative: (else_clause body: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.constant)))
   (try_statement
     body: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.constant))
   (try_statement
     (except_clause (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.constant)))]
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

(module
  [(if_statement
     consequence: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.variable))
   (if_statement
     alternative: (elif_clause consequence: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.variable)))
   (if_statement
     alternative: (else_clause body: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.variable)))
   (try_statement
     body: (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.variable))
   (try_statement
     (except_clause (block
       (assignment left: (identifier) @name type: (type)? @type) @definition.variable)))]
  (#not-match? @name "^(__.*__|_)$"))

; Class attributes with a value or annotation: `x: int = 0`
(class_definition
  body: (block
    (assignment
      left: (identifier) @name
      type: (type)? @type) @definition.field))

;
; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py)
(parameters (identifier) @name @binding.param)
(lambda_parameters (identifier) @name @binding.param)
(typed_parameter (identifier) @name type: (type) @type) @binding.param
(default_parameter name: (identifier) @name) @binding.param
(typed_default_parameter name: (identifier) @name type: (type) @type) @binding.param
(list_splat_pattern (identifier) @name) @binding.param
(dictionary_splat_pattern (identifier) @name) @binding.param

; `x = Cls(...)`, `x: T = make()`, `x = other`, `self.x = Cls(...)`, `self.x = param`;
; also `x = await make()` and `x = Cls(a) if c else Cls(b)` (the first branch)
(assignment
  left: [(identifier) @name
         (attribute object: (identifier) @context attribute: (identifier) @name)]
  right: [(await (call function: [(identifier) (attribute)] @value))
          (conditional_expression . (call function: [(identifier) (attribute)] @value))
          (conditional_expression . (await (call function: [(identifier) (attribute)] @value)))]) @binding.call
(assignment
  left: (identifier) @name
  type: (type)? @type
  right: (call function: [(identifier) (attribute)] @value)) @binding.call
(assignment
  left: (identifier) @name
  type: (type)? @type
  right: [(identifier) (attribute)] @value) @binding.alias
(assignment
  left: (attribute object: (identifier) @context attribute: (identifier) @name)
  type: (type)? @type
  right: (call function: [(identifier) (attribute)] @value)) @binding.call
(assignment
  left: (attribute object: (identifier) @context attribute: (identifier) @name)
  type: (type)? @type
  right: [(identifier) (attribute)] @value) @binding.alias
(assignment
  left: (attribute object: (identifier) @context attribute: (identifier) @name)
  type: (type) @type) @binding.local
(assignment
  left: (identifier) @name
  type: (type)? @type) @binding.local
(assignment
  left: [(pattern_list (identifier) @name) (tuple_pattern (identifier) @name)]) @binding.local
(augmented_assignment left: (identifier) @name) @binding.local
; `for x in items:`: x is an element of what `items` is
(for_statement left: (identifier) @name right: (_) @value) @binding.element
; `for i, x in enumerate(items):`: x is an element of what `items` is
(for_statement
  left: [(pattern_list . (identifier) (identifier) @name .)
         (tuple_pattern . (identifier) (identifier) @name .)]
  right: (call
    function: (identifier) @_enumerate
    arguments: (argument_list . (_) @value .))
  (#eq? @_enumerate "enumerate")) @binding.element
(for_statement
  left: [(identifier) @name
         (pattern_list (identifier) @name)
         (tuple_pattern (identifier) @name)]) @binding.local
(for_in_clause left: (identifier) @name right: (_) @value) @binding.element
(for_in_clause
  left: [(pattern_list . (identifier) (identifier) @name .)
         (tuple_pattern . (identifier) (identifier) @name .)]
  right: (call
    function: (identifier) @_enumerate
    arguments: (argument_list . (_) @value .))
  (#eq? @_enumerate "enumerate")) @binding.element
(for_in_clause
  left: [(identifier) @name
         (pattern_list (identifier) @name)
         (tuple_pattern (identifier) @name)]) @binding.local
(with_item
  value: (as_pattern
    (call function: [(identifier) (attribute)] @value)
    alias: (as_pattern_target (identifier) @name))) @binding.call
(as_pattern
  alias: (as_pattern_target
    [(identifier) @name
     (tuple (identifier) @name)
     (pattern_list (identifier) @name)])) @binding.local
(named_expression
  name: (identifier) @name
  value: (call function: [(identifier) (attribute)] @value)) @binding.call
(named_expression name: (identifier) @name) @binding.local
; `if isinstance(x, Cls):` narrows x to Cls in the block
(if_statement
  condition: (call
    function: (identifier) @_isinstance
    arguments: (argument_list . (identifier) @name . [(identifier) (attribute)] @type .))
  (#eq? @_isinstance "isinstance")) @binding.narrow
; an import under another name binds that name (queries/resolve_imports.py): `import
; numpy as np` (@value the module), `from .a import B as C` (@value the name imported)
(aliased_import name: (dotted_name) @value alias: (identifier) @name) @binding.import

; ---- references: every use of a name, with its role
; names that use nothing: keyword arguments, import aliases, global declarations
(keyword_argument name: (identifier) @name @reference.skip)
(aliased_import alias: (identifier) @name @reference.skip)
(global_statement (identifier) @name @reference.skip)
(nonlocal_statement (identifier) @name @reference.skip)

(decorator
  [(identifier) @name
   (attribute object: (_) @context attribute: (identifier) @name)
   (call function: [(identifier) @name
                    (attribute object: (_) @context attribute: (identifier) @name)])]) @reference.decorator

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

; A generic base: `class Params(MultiDict[str, str])`, `class Box(typing.Generic[T])`.
(class_definition
  superclasses: (argument_list
    (subscript
      value: [(identifier) @name
              (attribute object: (_) @context attribute: (identifier) @name)]))) @reference.inherit

(import_statement
  name: [(dotted_name) @name
         (aliased_import name: (dotted_name) @name)]) @reference.import

(import_from_statement
  module_name: (_) @context
  name: [(dotted_name (identifier) @name .)
         (aliased_import name: (dotted_name (identifier) @name .))]) @reference.import

(import_from_statement
  module_name: (_) @context
  (wildcard_import) @name) @reference.import

(import_from_statement
  module_name: [(dotted_name) @name (relative_import) @name]) @reference.import

; the parts of an imported module's dotted name are no uses of their own
(import_statement (dotted_name (identifier) @name @reference.skip))
(import_statement (aliased_import (dotted_name (identifier) @name @reference.skip)))
(import_from_statement module_name: (dotted_name (identifier) @name @reference.skip))
(import_from_statement module_name: (relative_import (dotted_name (identifier) @name @reference.skip)))

(type
  [(identifier) @name
   (attribute object: (_) @context attribute: (identifier) @name)
   (generic_type (identifier) @name)]) @reference.type

; a string annotation names its type too: `x: "Client"`
(type
  (string (string_content) @name
  (#match? @name "^[A-Za-z_][A-Za-z0-9_]*$"))) @reference.type

(assignment
  left: (attribute object: (_) @context attribute: (identifier) @name)) @reference.write
(augmented_assignment
  left: (attribute object: (_) @context attribute: (identifier) @name)) @reference.write

(attribute
  object: (_) @context
  attribute: (identifier) @name) @reference.read

(identifier) @name @reference.read
