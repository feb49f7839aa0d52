; OCaml implementations (`.ml`): `let` bindings at the top of a file, then every
; pattern of ocaml_interface.scm (definitions in modules, signatures, types, classes, and
; all references), which this file inherits. Earlier patterns win.
; inherits: ocaml_interface

; ---- definitions
; let bindings at the top of a file: `let f x = ...`, `let f = fun x -> ...`
(compilation_unit
  (value_definition
    (let_binding
      pattern: [(value_name) @name (parenthesized_operator (_) @name)]
      (parameter)) @definition.function))

(compilation_unit
  (value_definition
    (let_binding
      pattern: (value_name) @name
      body: [(function_expression) (fun_expression)]) @definition.function))

(compilation_unit
  (value_definition
    (let_binding
      pattern: (parenthesized_operator (_) @name)) @definition.function))

(compilation_unit
  (value_definition
    (let_binding
      pattern: (value_name) @name) @definition.variable)
  (#not-eq? @name "_"))

; `let (a, b) = ...`: each name
(compilation_unit
  (value_definition
    (let_binding
      pattern: (parenthesized_pattern
        (tuple_pattern (value_name) @name @definition.variable))))
  (#not-eq? @name "_"))
