; Go tags: package, funcs, methods (with receiver), type specs, interface methods, struct fields, package-level consts and vars; calls, imports, types, embedding, field access. Earlier patterns win.
; @context: the operand of a selector (`pkg.Func()` -> pkg, `c.inner.Get()` -> c.inner), the package of a qualified type (`http.Client` -> http). Import specs have none (the name is the path).

; ---- definitions
(package_clause
  (package_identifier) @name) @definition.package

(function_declaration
  name: (identifier) @name) @definition.function

; func (c *Client) Send() -> Client.Send; generic receivers too: func (p *Pair[K, V]) Swap()
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @receiver
             (pointer_type (type_identifier) @receiver)
             (generic_type type: (type_identifier) @receiver)
             (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name) @definition.method

(type_spec
  name: (type_identifier) @name
  type: (struct_type)) @definition.struct

(type_spec
  name: (type_identifier) @name
  type: (interface_type)) @definition.interface

(type_spec
  name: (type_identifier) @name) @definition.type

(type_alias
  name: (type_identifier) @name) @definition.type

; Method signatures inside an interface type
(method_elem
  name: (field_identifier) @name) @definition.method

; Fields of struct types declared by a type spec, and of anonymous structs nested in
; them; not of anonymous structs in function bodies (test tables), which are not API.
; `X, Y int` declares several fields in one node: each name is its own definition, so
; they do not nest in one another. A single name takes the whole declaration. The blank
; field `_` defines nothing.
(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        name: (field_identifier) @name @definition.field
        .
        name: (field_identifier)
        (#not-eq? @name "_")))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        name: (field_identifier)
        .
        name: (field_identifier) @name @definition.field
        (#not-eq? @name "_")))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        name: (field_identifier) @name
        (#not-eq? @name "_")) @definition.field)))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        type: (struct_type
          (field_declaration_list
            (field_declaration
              name: (field_identifier) @name @definition.field
              .
              name: (field_identifier)
              (#not-eq? @name "_"))))))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        type: (struct_type
          (field_declaration_list
            (field_declaration
              name: (field_identifier)
              .
              name: (field_identifier) @name @definition.field
              (#not-eq? @name "_"))))))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        type: (struct_type
          (field_declaration_list
            (field_declaration
              name: (field_identifier) @name
              (#not-eq? @name "_")) @definition.field))))))

; Package-level consts and vars (not the blank `_`); `a, b = 1, 2` is split per name as
; for fields
(source_file
  (const_declaration
    (const_spec
      (identifier) @name @definition.constant
      .
      (identifier)))
  (#not-eq? @name "_"))

(source_file
  (const_declaration
    (const_spec
      (identifier)
      .
      (identifier) @name @definition.constant))
  (#not-eq? @name "_"))

(source_file
  (const_declaration
    (const_spec
      (identifier) @name) @definition.constant)
  (#not-eq? @name "_"))

(source_file
  (var_declaration
    [(var_spec
       name: (identifier) @name @definition.variable
       .
       name: (identifier))
     (var_spec_list
       (var_spec
         name: (identifier) @name @definition.variable
         .
         name: (identifier)))])
  (#not-eq? @name "_"))

(source_file
  (var_declaration
    [(var_spec
       name: (identifier)
       .
       name: (identifier) @name @definition.variable)
     (var_spec_list
       (var_spec
         name: (identifier)
         .
         name: (identifier) @name @definition.variable))])
  (#not-eq? @name "_"))

(source_file
  (var_declaration
    [(var_spec
       name: (identifier) @name) @definition.variable
     (var_spec_list
       (var_spec
         name: (identifier) @name) @definition.variable)])
  (#not-eq? @name "_"))

; ---- references
(call_expression
  function: (identifier) @name) @reference.call

; x.Method() and pkg.Func()
(call_expression
  function: (selector_expression
    operand: (_) @context
    field: (field_identifier) @name)) @reference.call

(import_spec
  path: [(interpreted_string_literal (interpreted_string_literal_content) @name)
         (raw_string_literal (raw_string_literal_content) @name)]) @reference.import

; Embedded struct fields and embedded interfaces
(field_declaration
  !name
  type: [(type_identifier) @name
         (pointer_type (type_identifier) @name)
         (qualified_type package: (_) @context name: (type_identifier) @name)
         (pointer_type (qualified_type package: (_) @context name: (type_identifier) @name))]) @reference.inherit

(interface_type
  (type_elem
    .
    [(type_identifier) @name
     (qualified_type package: (_) @context name: (type_identifier) @name)]
    .)) @reference.inherit

; Every other type use (type specs' own names are definitions, so they are dropped);
; `pkg.Type` first, for its package as @context
(qualified_type
  package: (_) @context
  name: (type_identifier) @name) @reference.type

(type_identifier) @name @reference.type

; Field access that is not a call
(selector_expression
  operand: (_) @context
  field: (field_identifier) @name) @reference.read
