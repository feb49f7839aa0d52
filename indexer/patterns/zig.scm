; Zig tags: functions (methods inside a container), containers bound to a name
; (`const Point = struct {...}`: struct; enum, union, `opaque` (type), error sets
; (enum)), their fields, enum values and error names (constants), container-level
; `const`s (constants) and `var`s (variables), and `test` blocks (kind `test`, named by
; their string with its quotes, or their identifier).
; References: `@import` (an import: `const std = @import("std")` names `std`, with the
; path as context), calls, field reads, type uses (parameters, return types, fields,
; annotations) and assignment targets.
; Earlier patterns win when two capture the same name.
; @context: the object of a member access as its last name (`std.math.sqrt()` -> math,
; `p.len()` -> p); the path of an import.

; ---- definitions

(Decl
  (FnProto
    function: (IDENTIFIER) @name)) @definition.function

(TestDecl
  [(STRINGLITERALSINGLE) (IDENTIFIER)] @name) @definition.test

; `const Value = union(enum) {...}` is a union (its type names `enum` too, so this comes
; before enums).
(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    (SuffixExpr
      (ContainerDecl
        (ContainerDeclType "union")))) .) @definition.union

(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    (SuffixExpr
      (ContainerDecl
        (ContainerDeclType "struct")))) .) @definition.struct

(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    (SuffixExpr
      (ContainerDecl
        (ContainerDeclType "enum")))) .) @definition.enum

(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    (SuffixExpr
      (ContainerDecl
        (ContainerDeclType "opaque")))) .) @definition.type

(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    (SuffixExpr
      (ErrorSetDecl))) .) @definition.enum

; `x: f32`, `y: f32 = 0` in a struct or union; `red`, `blue = 5` in an enum.
(ContainerField
  field_member: (IDENTIFIER) @name) @definition.field

(ContainerDecl
  (ContainerDeclType "enum")
  (ContainerField
    .
    (ErrorUnionExpr
      .
      (SuffixExpr
        .
        variable_type_function: (IDENTIFIER) @name
        .))) @definition.constant)

(ErrorSetDecl
  field_constant: (IDENTIFIER) @name @definition.constant)

; Container-level `const`s and `var`s; not `const std = @import("std")` (an import,
; below). A value is either an ErrorUnionExpr, whose first part names the builtin, or
; one of the other expression nodes.
(Decl
  (VarDecl
    "const"
    variable_type_function: (IDENTIFIER) @name
    (ErrorUnionExpr
      .
      (SuffixExpr . (_) @_first)) .) @definition.constant
  (#not-eq? @_first "@import"))

(Decl
  (VarDecl
    "const"
    variable_type_function: (IDENTIFIER) @name
    [(UnaryExpr) (InitList) (BinaryExpr) (IfExpr) (SwitchExpr) (ForExpr) (WhileExpr)
     (LoopExpr) (BlockExpr) (GroupedExpr)] .) @definition.constant)

(Decl
  (VarDecl
    "var"
    variable_type_function: (IDENTIFIER) @name) @definition.variable)

; ---- references

; `const std = @import("std");`, `const Allocator = @import("std").mem.Allocator;`:
; the name bound, with the path as context; `usingnamespace @import("x.zig");` and
; `_ = @import("x.zig");` (tests): the path.
(VarDecl
  variable_type_function: (IDENTIFIER) @name
  (ErrorUnionExpr
    .
    (SuffixExpr
      .
      (BUILTINIDENTIFIER) @_builtin
      .
      (FnCallArguments
        .
        (ErrorUnionExpr (SuffixExpr (STRINGLITERALSINGLE) @context)))))
  .
  (#eq? @_builtin "@import")) @reference.import

[(Decl
   (ErrorUnionExpr
     (SuffixExpr
       .
       (BUILTINIDENTIFIER) @_builtin
       .
       (FnCallArguments
         .
         (ErrorUnionExpr (SuffixExpr (STRINGLITERALSINGLE) @name))))))
 (AssignExpr
   (ErrorUnionExpr
     (SuffixExpr
       .
       (BUILTINIDENTIFIER) @_builtin
       .
       (FnCallArguments
         .
         (ErrorUnionExpr (SuffixExpr (STRINGLITERALSINGLE) @name))))))] @reference.import
  (#eq? @_builtin "@import")

; Type uses: parameter and return types, field types, `const x: T`; a qualified type
; (`std.mem.Allocator`) by its last name.
(ParamType
  (ErrorUnionExpr
    (SuffixExpr
      [(IDENTIFIER) @name
       (FieldOrFnCall field_access: (IDENTIFIER) @name)]
      .))) @reference.type

(FnProto
  (ErrorUnionExpr
    (SuffixExpr
      [(IDENTIFIER) @name
       (FieldOrFnCall field_access: (IDENTIFIER) @name)]
      .)) .) @reference.type

(ContainerField
  field_member: (IDENTIFIER)
  .
  (PrefixTypeOp)*
  .
  (ErrorUnionExpr
    (SuffixExpr
      [(IDENTIFIER) @name
       (FieldOrFnCall field_access: (IDENTIFIER) @name)]
      .))) @reference.type

(VarDecl
  variable_type_function: (IDENTIFIER)
  .
  (ErrorUnionExpr
    (SuffixExpr
      [(IDENTIFIER) @name
       (FieldOrFnCall field_access: (IDENTIFIER) @name)]
      .))
  .
  (ErrorUnionExpr)) @reference.type

; Calls: `foo(1)`, `p.len()`, `std.math.sqrt(x)`, `Ring(u8).init()`.
(SuffixExpr
  .
  variable_type_function: (IDENTIFIER) @name
  .
  (FnCallArguments)) @reference.call

(SuffixExpr
  .
  variable_type_function: (IDENTIFIER) @context
  .
  (FieldOrFnCall
    function_call: (IDENTIFIER) @name)) @reference.call

(SuffixExpr
  (FieldOrFnCall
    [field_access: (IDENTIFIER) @context
     function_call: (IDENTIFIER) @context])
  .
  (FieldOrFnCall
    function_call: (IDENTIFIER) @name)) @reference.call

; `Ring(u8).init()`: a member of what a call returns, with the callee as context.
(SuffixExpr
  .
  variable_type_function: (IDENTIFIER) @context
  .
  (FnCallArguments)
  .
  (FieldOrFnCall
    function_call: (IDENTIFIER) @name)) @reference.call

; Assignment targets: `counter += 1`, `p.x = 2` (not the discard `_ = f()`).
((AssignExpr
  .
  (ErrorUnionExpr
    (SuffixExpr
      .
      variable_type_function: (IDENTIFIER) @name
      .))
  .
  (AssignOp)) @reference.write
  (#not-eq? @name "_"))

(AssignExpr
  .
  (ErrorUnionExpr
    (SuffixExpr
      [variable_type_function: (IDENTIFIER) @context
       (FieldOrFnCall [field_access: (IDENTIFIER) function_call: (IDENTIFIER)] @context)]
      .
      (FieldOrFnCall field_access: (IDENTIFIER) @name)
      .))
  .
  (AssignOp)) @reference.write

; Field reads: `self.x`, `std.mem`.
(SuffixExpr
  .
  variable_type_function: (IDENTIFIER) @context
  .
  (FieldOrFnCall
    field_access: (IDENTIFIER) @name)) @reference.read

(SuffixExpr
  (FieldOrFnCall
    [field_access: (IDENTIFIER) @context
     function_call: (IDENTIFIER) @context])
  .
  (FieldOrFnCall
    field_access: (IDENTIFIER) @name)) @reference.read
