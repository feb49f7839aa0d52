; Elm tags: the module (`module Page.Home exposing (..)` qualifies every later
; definition, as a package), top-level values and functions (function; a type
; annotation defines nothing of its own, its types are references), ports (function),
; type aliases (type) with their record fields (field), custom types (type) with their
; variants (constant), functions bound by `let` with parameters (other `let` names are
; local values).
; References: calls (`f x`, `Html.div [] []`, `x |> f`, `f <| x`), variants (applied:
; calls; bare and in patterns: reads), qualified values used without a call
; (`Decode.int`: reads), record fields (`model.count`, `.count`: reads; `{ model | count
; = 1 }`, `{ count = 1 }`: writes), types (type), imports (the module, and each exposed
; name with the module as context) and the module's own exposing list (reads, types).
; Earlier patterns win when two capture the same name.
; @context: the module of a qualified name (`Json.Decode.field` -> Json.Decode) or of an
; exposed import, the record of a field access (`model.count` -> model).

; ---- definitions
(module_declaration
  name: (upper_case_qid) @name) @definition.package

(file
  (value_declaration
    functionDeclarationLeft: (function_declaration_left
      (lower_case_identifier) @name)) @definition.function)

; Functions bound by `let` with parameters (nested functions; other `let` names are
; local values)
(let_in_expr
  valueDeclaration: (value_declaration
    functionDeclarationLeft: (function_declaration_left
      (lower_case_identifier) @name
      .
      (_))) @definition.function)

(port_annotation
  name: (lower_case_identifier) @name) @definition.function

(type_alias_declaration
  name: (upper_case_identifier) @name) @definition.type

(type_declaration
  name: (upper_case_identifier) @name) @definition.type

(union_variant
  name: (upper_case_identifier) @name) @definition.constant

(type_alias_declaration
  (type_expression
    (record_type
      (field_type
        name: (lower_case_identifier) @name) @definition.field)))

; ---- references
(import_clause
  moduleName: (upper_case_qid) @context
  exposing: (exposing_list
    [(exposed_value (lower_case_identifier) @name)
     (exposed_type (upper_case_identifier) @name)])) @reference.import

(import_clause
  moduleName: (upper_case_qid) @name) @reference.import

(module_declaration
  exposing: (exposing_list
    (exposed_value (lower_case_identifier) @name))) @reference.read

(module_declaration
  exposing: (exposing_list
    (exposed_type (upper_case_identifier) @name))) @reference.type

(function_call_expr
  target: (value_expr
    name: [(value_qid
             . ((upper_case_identifier) @context (dot))*
             (lower_case_identifier) @name .)
           (upper_case_qid
             . ((upper_case_identifier) @context (dot))*
             (upper_case_identifier) @name .)])) @reference.call

; `x |> f`, `f <| x`
((bin_op_expr
  (operator (operator_identifier) @_pipe)
  .
  (value_expr
    name: (value_qid
      . ((upper_case_identifier) @context (dot))*
      (lower_case_identifier) @name .))) @reference.call
  (#eq? @_pipe "|>"))

((bin_op_expr
  (value_expr
    name: (value_qid
      . ((upper_case_identifier) @context (dot))*
      (lower_case_identifier) @name .))
  .
  (operator (operator_identifier) @_pipe)) @reference.call
  (#eq? @_pipe "<|"))

(value_expr
  name: (value_qid
    . ((upper_case_identifier) @context (dot))+
    (lower_case_identifier) @name .)) @reference.read

(value_expr
  name: (upper_case_qid
    . ((upper_case_identifier) @context (dot))*
    (upper_case_identifier) @name .)) @reference.read

(union_pattern
  constructor: (upper_case_qid
    . ((upper_case_identifier) @context (dot))*
    (upper_case_identifier) @name .)) @reference.read

(field_access_expr
  target: (_) @context
  (lower_case_identifier) @name .) @reference.read

(field_accessor_function_expr
  (lower_case_identifier) @name) @reference.read

(record_expr
  field: (field
    name: (lower_case_identifier) @name)) @reference.write

(type_ref
  (upper_case_qid
    . ((upper_case_identifier) @context (dot))*
    (upper_case_identifier) @name .)) @reference.type
