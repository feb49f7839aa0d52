; OCaml tags, for interfaces (`.mli`) and, through `ocaml.scm`, which inherits them, for
; implementations (`.ml`). Definitions: `let` bindings in module structures (ocaml.scm
; adds those at the top of a file; function when they take parameters or are a
; `fun`/`function`, else variable; each name of a tuple pattern; not `()` or `_`),
; `external` (function), `val` specifications (function for a function type, else
; variable; methods inside a module type), modules and functors (module), module types
; (interface), types (type) with their variant constructors, polymorphic variant tags
; and `exception`s (constant) and record fields (field), classes and class types
; (class, interface) with their methods (method) and instance variables (field),
; functions of `let ... in` that take parameters (nested); other local bindings are left
; out, and a file's own module (`list.ml` is `List`) has no node to name it.
; References: applications (`f x`, `List.map f l`, `x |> f`: calls), qualified values
; used without a call (`M.empty`: reads), constructors (applied in an expression: calls;
; in patterns and bare: reads), record fields (`r.x`: read; `{ x = 1 }`, `{ r with x }`,
; `r.x <- v`: write), method calls (`obj#m`: call), `new c` (call), functor applications
; (`Map.Make (String)`: call of Make), types and module types (type), `open` (import),
; `include` and class `inherit` (inherit), attributes and `deriving` plugins
; (`[@@deriving show]`: decorator).
; Earlier patterns win when two capture the same name.
; @context: the module path of a qualified name (`List.map` -> List, `A.B.t` -> A.B),
; the record of a field access (`p.x` -> p), the object of a method call.

; ---- definitions

(structure
  (value_definition
    (let_binding
      pattern: [(value_name) @name (parenthesized_operator (_) @name)]
      (parameter)) @definition.function))

(structure
  (value_definition
    (let_binding
      pattern: (value_name) @name
      body: [(function_expression) (fun_expression)]) @definition.function))

(structure
  (value_definition
    (let_binding
      pattern: (parenthesized_operator (_) @name)) @definition.function))

(structure
  (value_definition
    (let_binding
      pattern: (value_name) @name) @definition.variable)
  (#not-eq? @name "_"))

(structure
  (value_definition
    (let_binding
      pattern: (parenthesized_pattern
        (tuple_pattern (value_name) @name @definition.variable))))
  (#not-eq? @name "_"))

; Functions of `let ... in` with parameters (nested functions; other local names are
; values)
(let_expression
  (value_definition
    (let_binding
      pattern: [(value_name) @name (parenthesized_operator (_) @name)]
      (parameter)) @definition.function))

(external
  (value_name) @name) @definition.function

(value_specification
  [(value_name) @name (parenthesized_operator (_) @name)]
  type: (function_type)) @definition.function

(value_specification
  [(value_name) @name (parenthesized_operator (_) @name)]) @definition.variable

(module_binding
  (module_name) @name) @definition.module

(module_type_definition
  (module_type_name) @name) @definition.interface

(type_binding
  name: (type_constructor) @name) @definition.type

(constructor_declaration
  (constructor_name) @name) @definition.constant

; `type format = [ `Auto | `Pager ]`: the tags, named without their backquote (their uses
; are not references: the grammar's token holds the backquote)
(type_binding
  name: (type_constructor)
  (polymorphic_variant_type
    (tag_specification (tag) @name) @definition.constant))

(field_declaration
  (field_name) @name) @definition.field

(class_binding
  (class_name) @name) @definition.class

(class_type_binding
  (class_type_name) @name) @definition.interface

(method_definition
  (method_name) @name) @definition.method

(method_specification
  (method_name) @name) @definition.method

(instance_variable_definition
  (instance_variable_name) @name) @definition.field

(instance_variable_specification
  (instance_variable_name) @name) @definition.field

; ---- references
(open_module
  module: (module_path) @name) @reference.import

(include_module
  module: [(module_path) @name
           (module_application functor: (module_path) @name)]) @reference.inherit

(include_module_type
  module_type: [(module_type_path (extended_module_path)? @context (module_type_name) @name)
                (module_type_constraint
                  module_type: (module_type_path (extended_module_path)? @context (module_type_name) @name))
                (module_type_of module: (module_path) @name)]) @reference.inherit

(inheritance_definition
  class: [(class_path (class_name) @name)
          (class_application class: (class_path (class_name) @name))]) @reference.inherit

(module_application
  functor: (module_path
    (module_path)? @context
    (module_name) @name .)) @reference.call

(application_expression
  function: [(value_path (module_path)? @context (value_name) @name)
             (constructor_path (module_path)? @context (constructor_name) @name)]) @reference.call

(infix_expression
  operator: (rel_operator) @_pipe
  right: (value_path (module_path)? @context (value_name) @name)
  (#eq? @_pipe "|>")) @reference.call

(new_expression
  (class_path (class_name) @name)) @reference.call

(method_invocation
  object: (_) @context
  method: (method_name) @name) @reference.call

(value_path
  (module_path) @context
  (value_name) @name) @reference.read

(constructor_path
  (module_path)? @context
  (constructor_name) @name) @reference.read

(set_expression
  (field_get_expression
    record: (_) @context
    field: (field_path (field_name) @name))) @reference.write

(field_get_expression
  record: (_) @context
  field: (field_path (module_path)? (field_name) @name)) @reference.read

(record_expression
  (field_expression
    (field_path (field_name) @name))) @reference.write

(field_pattern
  (field_path (field_name) @name)) @reference.read

(type_constructor_path
  (extended_module_path)? @context
  (type_constructor) @name) @reference.type

(module_type_path
  (extended_module_path)? @context
  (module_type_name) @name) @reference.type

; Attributes on items and expressions (`[@@deriving show, yojson]`, `[@@inline]`,
; `[@default 0]`): the attribute, and each deriver of `deriving`
((item_attribute
  (attribute_id) @_deriving
  (attribute_payload
    (expression_item
      [(value_path (value_name) @name)
       (tuple_expression (value_path (value_name) @name))]))) @reference.decorator
  (#eq? @_deriving "deriving"))

(item_attribute
  (attribute_id) @name) @reference.decorator

(attribute
  (attribute_id) @name) @reference.decorator
