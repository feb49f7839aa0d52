; C tags (C's own, and Objective-C's, which inherits them): functions (definitions
; only; prototypes are declarations and are not tagged), structs, unions, enums and their enumerators, typedefs, #define macros, struct fields,
; file-scope variables; calls, #includes, type uses and field accesses.
; Earlier patterns win when two capture the same name.
; @context: the object of a field access or call through a field (`ops->run()` -> ops).

; ---- definitions

; Function definitions, also when returning a pointer (`T *f(...)`, `T **f(...)`).
(function_definition
  type: (_) @type
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (pointer_declarator declarator: (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name)))
  ]) @definition.function

(preproc_def
  name: (identifier) @name) @definition.macro

(preproc_function_def
  name: (identifier) @name) @definition.macro

; Tagged types with a body (a bare `struct Foo` is a type reference, below).
(struct_specifier
  name: (type_identifier) @name
  body: (field_declaration_list)) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list)) @definition.union

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list)) @definition.enum

(enumerator
  name: (identifier) @name) @definition.constant

; `typedef struct Foo {...} Foo_t;`: the struct is its own definition, so the alias is
; tagged on its name alone and the struct does not nest inside it.
(type_definition
  type: [
    (struct_specifier name: (_) body: (_))
    (union_specifier name: (_) body: (_))
    (enum_specifier name: (_) body: (_))
  ]
  declarator: (type_identifier) @name @definition.type)

; Other typedefs, including `typedef struct {...} Foo;` (its fields nest as Foo.x),
; pointer typedefs and function-pointer typedefs; the type an alias names is its @type
; (`typedef struct Cart Cart_t;`: a Cart), unless it is a body of its own.
(type_definition
  type: [(type_identifier) (primitive_type) (sized_type_specifier)
         (struct_specifier !body) (union_specifier !body) (enum_specifier !body)] @type
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
  ]) @definition.type

(type_definition
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name)))
  ]) @definition.type

; Struct and union fields. A declaration with one declarator is tagged whole (so the
; signature shows the type); with several (`int x, y;`) each declarator is tagged alone.
(field_declaration
  type: (_) @type .
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (array_declarator declarator: (field_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))
  ] .) @definition.field

(field_declaration
  type: (_) @type
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (array_declarator declarator: (field_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))
  ] @definition.field)

; File-scope variables (not `extern` declarations, not prototypes); same one/several
; declarator rule as fields.
(translation_unit
  (declaration
    (storage_class_specifier)? @storage
    type: (_) @type .
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (array_declarator declarator: (identifier) @name)
        (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
      ])
    ] .) @definition.variable
  (#not-eq? @storage "extern"))

(translation_unit
  (declaration
    (storage_class_specifier)? @storage
    type: (_) @type
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (array_declarator declarator: (identifier) @name)
        (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
      ])
    ] @definition.variable)
  (#not-eq? @storage "extern"))

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; their declared types (see indexer/bindings.py): `struct Cart *c` -> struct Cart,
; `Cart_t c` -> Cart_t (read through the typedef).
(parameter_list
  (parameter_declaration
    type: (_) @type
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator (pointer_declarator declarator: (identifier) @name)))
    ]) @binding.param)

(compound_statement
  (declaration
    type: (_) @type
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
        (array_declarator declarator: (identifier) @name)
      ])
    ]) @binding.local)

(for_statement
  initializer: (declaration
    type: (_) @type
    declarator: (init_declarator declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
    ])) @binding.local)

; ---- references

; names that use nothing: a prototype's name and parameters, a macro's parameters
(declaration
  declarator: [
    (function_declarator declarator: (identifier) @name @reference.skip)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name @reference.skip))
  ])
(function_declarator
  parameters: (parameter_list
    (parameter_declaration
      declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ] @reference.skip)))
(preproc_params (identifier) @name @reference.skip)

(call_expression
  function: (identifier) @name) @reference.call

; Calls through a function pointer field: `ops->run(x)`, `s.cb()`.
(call_expression
  function: (field_expression
    argument: (_) @context
    field: (field_identifier) @name)) @reference.call

; `#include "util.h"` -> util.h; `#include <stdio.h>` -> <stdio.h> (as written).
(preproc_include
  path: [
    (string_literal (string_content) @name)
    (system_lib_string) @name
  ]) @reference.import

; Every use of a typedef name or struct/union/enum tag (declarations, casts, sizeof of a
; type); the names of definitions themselves are dropped by the extractor.
(type_identifier) @name @reference.type

(field_expression
  argument: (_) @context
  field: (field_identifier) @name) @reference.read

