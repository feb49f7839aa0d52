; Go tags: package, funcs, methods (with receiver), type specs, interface methods, struct
; fields, package-level consts and vars; bindings (parameters, receivers, locals) with the
; evidence of their types; every use of a name, with its role. Earlier patterns win.
; @context: the operand of a selector (`pkg.Func()` -> pkg, `c.inner.Get()` -> c.inner),
; the package of a qualified type (`http.Client` -> http), the type of a composite
; literal whose field a key sets (`Client{Name: n}` -> Client), the alias of an import
; (`nethttp "net/http"` -> nethttp; `.` and `_` too). An import's name is its path.
; @type: a function's or method's (first) result, a field's or variable's declared type.

; ---- definitions
(package_clause
  (package_identifier) @name) @definition.package

(function_declaration
  name: (identifier) @name
  result: [(parameter_list . (parameter_declaration type: (_) @type))
           [(type_identifier) (qualified_type) (pointer_type) (generic_type) (slice_type)
            (array_type) (map_type) (channel_type) (function_type) (interface_type)] @type]?) @definition.function

; func (c *Client) Send() -> Client.Send; generic receivers too: func (p *Pair[K, V]) Swap()
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @receiver
             (pointer_type (type_identifier) @receiver)
             (generic_type type: (type_identifier) @receiver)
             (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name
  result: [(parameter_list . (parameter_declaration type: (_) @type))
           [(type_identifier) (qualified_type) (pointer_type) (generic_type) (slice_type)
            (array_type) (map_type) (channel_type) (function_type) (interface_type)] @type]?) @definition.method

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
  name: (field_identifier) @name
  result: [(parameter_list . (parameter_declaration type: (_) @type))
           [(type_identifier) (qualified_type) (pointer_type) (generic_type) (slice_type)
            (array_type) (map_type) (channel_type) (function_type) (interface_type)] @type]?) @definition.method

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
        type: (_) @type
        (#not-eq? @name "_")))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        name: (field_identifier)
        .
        name: (field_identifier) @name @definition.field
        type: (_) @type
        (#not-eq? @name "_")))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        name: (field_identifier) @name
        type: (_) @type
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
              type: (_) @type
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
              type: (_) @type
              (#not-eq? @name "_"))))))))

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        type: (struct_type
          (field_declaration_list
            (field_declaration
              name: (field_identifier) @name
              type: (_) @type
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
       name: (identifier)
       type: (_)? @type)
     (var_spec_list
       (var_spec
         name: (identifier) @name @definition.variable
         .
         name: (identifier)
         type: (_)? @type))])
  (#not-eq? @name "_"))

(source_file
  (var_declaration
    [(var_spec
       name: (identifier)
       .
       name: (identifier) @name @definition.variable
       type: (_)? @type)
     (var_spec_list
       (var_spec
         name: (identifier)
         .
         name: (identifier) @name @definition.variable
         type: (_)? @type))])
  (#not-eq? @name "_"))

(source_file
  (var_declaration
    [(var_spec
       name: (identifier) @name
       type: (_)? @type) @definition.variable
     (var_spec_list
       (var_spec
         name: (identifier) @name
         type: (_)? @type) @definition.variable)])
  (#not-eq? @name "_"))

; ---- bindings: parameters, receivers and locals (a use of one is no use of a
; definition), with the evidence of their type the code shows (see indexer/bindings.py)

; parameters, named results and receivers of functions, methods and function literals
(function_declaration
  parameters: (parameter_list
    [(parameter_declaration name: (identifier) @name type: (_) @type)
     (variadic_parameter_declaration name: (identifier) @name type: (_) @type)] @binding.param))
(function_declaration
  result: (parameter_list
    (parameter_declaration name: (identifier) @name type: (_) @type) @binding.param))
(method_declaration
  receiver: (parameter_list
    (parameter_declaration name: (identifier) @name type: (_) @type) @binding.param))
(method_declaration
  parameters: (parameter_list
    [(parameter_declaration name: (identifier) @name type: (_) @type)
     (variadic_parameter_declaration name: (identifier) @name type: (_) @type)] @binding.param))
(method_declaration
  result: (parameter_list
    (parameter_declaration name: (identifier) @name type: (_) @type) @binding.param))
; A function literal is a scope: its parameters and locals are its own, not those of
; the function around it (`r := NewRouter(); r.Route("/", func(r Router) {...})`).
(func_literal) @name @binding.scope
(func_literal
  parameters: (parameter_list
    [(parameter_declaration name: (identifier) @name type: (_) @type)
     (variadic_parameter_declaration name: (identifier) @name type: (_) @type)] @binding.param))
(func_literal
  result: (parameter_list
    (parameter_declaration name: (identifier) @name type: (_) @type) @binding.param))

; type parameters of a function, and those a generic receiver names:
; func (p *Pair[K, V]) Swap()
(function_declaration
  type_parameters: (type_parameter_list
    (type_parameter_declaration name: (identifier) @name) @binding.local))
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(generic_type type_arguments: (type_arguments (type_elem (type_identifier) @name)))
             (pointer_type (generic_type
               type_arguments: (type_arguments (type_elem (type_identifier) @name))))]) @binding.local))

; `var x T`, `var a, b T`
(var_spec name: (identifier) @name type: (_) @type) @binding.local

; `p := new(T)`
(short_var_declaration
  left: (expression_list . (identifier) @name)
  right: (expression_list
    .
    (call_expression
      function: (identifier) @_new
      arguments: (argument_list . (_) @type .)))
  (#eq? @_new "new")) @binding.local

; the first name takes the first value (or a call's first result): `x := T{...}`,
; `x := &T{}`, `v, ok := y.(T)`, `b := []byte(s)`; `x := NewT()`, `s, err := pkg.Open()`,
; `x := Map[K, V](...)`; `x := other`, `p := &other`; a second name, the second value
(short_var_declaration
  left: (expression_list . (identifier) @name)
  right: (expression_list
    .
    [(call_expression function: [(identifier) (selector_expression)] @value)
     (type_conversion_expression
       type: (generic_type type: [(type_identifier) (qualified_type)] @value))])) @binding.call
(short_var_declaration
  left: (expression_list . (identifier) @name)
  right: (expression_list
    .
    [(composite_literal type: (_) @type)
     (unary_expression operand: (composite_literal type: (_) @type))
     (type_assertion_expression type: (_) @type)
     (type_conversion_expression type: (_) @type)])) @binding.local
(short_var_declaration
  left: (expression_list . (identifier) @name)
  right: (expression_list
    .
    [[(identifier) (selector_expression)] @value
     (unary_expression operator: ["&" "*"] operand: [(identifier) (selector_expression)] @value)])) @binding.alias
(short_var_declaration
  left: (expression_list . (identifier) . (identifier) @name)
  right: (expression_list
    .
    (_)
    .
    [(call_expression function: [(identifier) (selector_expression)] @value)
     (type_conversion_expression
       type: (generic_type type: [(type_identifier) (qualified_type)] @value))])) @binding.call
(short_var_declaration
  left: (expression_list . (identifier) . (identifier) @name)
  right: (expression_list
    .
    (_)
    .
    [(composite_literal type: (_) @type)
     (unary_expression operand: (composite_literal type: (_) @type))
     (type_assertion_expression type: (_) @type)
     (type_conversion_expression type: (_) @type)])) @binding.local
(short_var_declaration
  left: (expression_list . (identifier) . (identifier) @name)
  right: (expression_list
    .
    (_)
    .
    [[(identifier) (selector_expression)] @value
     (unary_expression operator: ["&" "*"] operand: [(identifier) (selector_expression)] @value)])) @binding.alias
(short_var_declaration left: (expression_list (identifier) @name)) @binding.local

; the same for `var x = ...` (in functions, and the package's own variables)
(var_spec
  .
  name: (identifier) @name
  value: (expression_list
    .
    [(call_expression function: [(identifier) (selector_expression)] @value)
     (type_conversion_expression
       type: (generic_type type: [(type_identifier) (qualified_type)] @value))])) @binding.call
(var_spec
  .
  name: (identifier) @name
  value: (expression_list
    .
    [(composite_literal type: (_) @type)
     (unary_expression operand: (composite_literal type: (_) @type))
     (type_assertion_expression type: (_) @type)
     (type_conversion_expression type: (_) @type)])) @binding.local
(var_spec
  .
  name: (identifier) @name
  value: (expression_list
    .
    [[(identifier) (selector_expression)] @value
     (unary_expression operator: ["&" "*"] operand: [(identifier) (selector_expression)] @value)])) @binding.alias
(var_spec name: (identifier) @name) @binding.local
(const_spec name: (identifier) @name) @binding.local

; `for _, v := range xs`: the element of what is ranged over (a `[]T` is read as a T)
(range_clause
  left: (expression_list . (_) . (identifier) @name)
  ":="
  right: (call_expression function: [(identifier) (selector_expression)] @value)) @binding.call
(range_clause
  left: (expression_list . (_) . (identifier) @name)
  ":="
  right: [(identifier) (selector_expression)] @value) @binding.alias
(range_clause left: (expression_list (identifier) @name) ":=") @binding.local
(receive_statement left: (expression_list (identifier) @name) ":=") @binding.local
(type_switch_statement alias: (expression_list (identifier) @name)) @binding.local

; ---- references: every use of a name, with its role
; names that use nothing: the blank identifier, parameters' names in function types and
; interface methods (a function's are bound above), type parameters' names (a generic
; type's; a function's are bound above), `nil` in a type switch case
((identifier) @name @reference.skip
  (#eq? @name "_"))
(function_type
  parameters: (parameter_list
    [(parameter_declaration name: (identifier) @name @reference.skip)
     (variadic_parameter_declaration name: (identifier) @name @reference.skip)]))
(function_type
  result: (parameter_list (parameter_declaration name: (identifier) @name @reference.skip)))
(method_elem
  parameters: (parameter_list
    [(parameter_declaration name: (identifier) @name @reference.skip)
     (variadic_parameter_declaration name: (identifier) @name @reference.skip)]))
(method_elem
  result: (parameter_list (parameter_declaration name: (identifier) @name @reference.skip)))
(type_parameter_declaration name: (identifier) @name @reference.skip)
((type_identifier) @name @reference.skip
  (#eq? @name "nil"))

; A key of a composite literal sets a field of its type: `Client{Name: n}` writes
; Client's Name; in an element of a `[]T`, `[]*T` or `map[K]T` literal, T's. Keys of a
; map literal are values (the catch-all reads them); of an anonymous struct, nothing.
(composite_literal
  type: [(type_identifier) @context
         (qualified_type) @context
         (generic_type type: (_) @context)]
  body: (literal_value
    (keyed_element
      key: (literal_element (identifier) @name)))) @reference.write

(composite_literal
  type: [(slice_type element: [(type_identifier) (qualified_type)] @context)
         (slice_type element: (pointer_type [(type_identifier) (qualified_type)] @context))
         (array_type element: [(type_identifier) (qualified_type)] @context)
         (array_type element: (pointer_type [(type_identifier) (qualified_type)] @context))
         (implicit_length_array_type element: [(type_identifier) (qualified_type)] @context)
         (map_type value: [(type_identifier) (qualified_type)] @context)
         (map_type value: (pointer_type [(type_identifier) (qualified_type)] @context))]
  body: (literal_value
    [(literal_element
       (literal_value
         (keyed_element key: (literal_element (identifier) @name))))
     (keyed_element
       value: (literal_element
         (literal_value
           (keyed_element key: (literal_element (identifier) @name)))))])) @reference.write

(composite_literal
  type: (map_type)
  body: (literal_value
    (keyed_element key: (literal_element (identifier) @name)))) @reference.read

(composite_literal
  type: (struct_type)
  body: (literal_value
    (keyed_element key: (literal_element (identifier) @name @reference.skip))))

; a key of a literal nested deeper: some type's field, which one is not told here
(literal_value
  (literal_element
    (literal_value
      (keyed_element key: (literal_element (identifier) @name))))) @reference.write

(call_expression
  function: (identifier) @name) @reference.call

; x.Method() and pkg.Func()
(call_expression
  function: (selector_expression
    operand: (_) @context
    field: (field_identifier) @name)) @reference.call

; a generic function called with type arguments: Map[K, V](xs), pkg.Map[K](xs)
(type_conversion_expression
  type: (generic_type
    type: [(type_identifier) @name
           (qualified_type package: (_) @context name: (type_identifier) @name)])) @reference.call

(import_spec
  name: (_)? @context
  path: [(interpreted_string_literal (interpreted_string_literal_content) @name)
         (raw_string_literal (raw_string_literal_content) @name)]) @reference.import

; Embedded struct fields and embedded interfaces
(field_declaration
  !name
  type: [(type_identifier) @name
         (pointer_type (type_identifier) @name)
         (generic_type type: (type_identifier) @name)
         (pointer_type (generic_type type: (type_identifier) @name))
         (qualified_type package: (_) @context name: (type_identifier) @name)
         (pointer_type (qualified_type package: (_) @context name: (type_identifier) @name))
         (generic_type type: (qualified_type package: (_) @context name: (type_identifier) @name))]) @reference.inherit

(interface_type
  (type_elem
    .
    [(type_identifier) @name
     (generic_type type: (type_identifier) @name)
     (qualified_type package: (_) @context name: (type_identifier) @name)]
    .)) @reference.inherit

; Assignments: `c.x = v`, `x = v`, `c.n++`, `x += 1` write (a local's name is dropped)
(assignment_statement
  left: (expression_list
    [(identifier) @name
     (selector_expression operand: (_) @context field: (field_identifier) @name)])) @reference.write
(inc_statement
  [(identifier) @name
   (selector_expression operand: (_) @context field: (field_identifier) @name)]) @reference.write
(dec_statement
  [(identifier) @name
   (selector_expression operand: (_) @context field: (field_identifier) @name)]) @reference.write

; Every other type use (type specs' own names are definitions, so they are dropped);
; `pkg.Type` first, for its package as @context
(qualified_type
  package: (_) @context
  name: (type_identifier) @name) @reference.type

(type_identifier) @name @reference.type

; Field access and method values that are not calls: c.Name, c.Send, pkg.Var
(selector_expression
  operand: (_) @context
  field: (field_identifier) @name) @reference.read

; Every other name used: function values (`Run: emptyRun`), arguments, operands,
; returned values, conversions' operands
(identifier) @name @reference.read
