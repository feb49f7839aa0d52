; Julia tags: modules, structs (and their fields), abstract and primitive types (types),
; functions (`function f`, short form `f(x) = ...`, `g = x -> ...`, with `where` and
; return types; `function Base.show` extends Base: receiver Base; operators such as
; `Base.:+` are named by the operator), inner constructors (methods of their struct),
; macros, `const`s, file- and module-level variables.
; References: calls (also `f.(x)` and `Vector{Int}(...)`), macro calls (decorators when
; they wrap a definition), `using`/`import`/`include` (imports), supertypes (`<:` in a
; type head: inheritance), type annotations and parameters, field reads and assignment
; targets. Earlier patterns win when two capture the same name.
; @receiver: the module a function is defined in when it is qualified (`Base.show`).
; @context: the object of a field access (`a.b.c()` -> a.b), the module of a selected
; import (`using Base: show` -> Base).

; ---- definitions

(module_definition
  name: (identifier) @name) @definition.module

(struct_definition
  (type_head
    [(identifier) @name
     (parametrized_type_expression . (identifier) @name)
     (binary_expression
       .
       [(identifier) @name
        (parametrized_type_expression . (identifier) @name)])])) @definition.struct

(abstract_definition
  (type_head
    [(identifier) @name
     (parametrized_type_expression . (identifier) @name)
     (binary_expression
       .
       [(identifier) @name
        (parametrized_type_expression . (identifier) @name)])])) @definition.type

(primitive_definition
  (type_head
    [(identifier) @name
     (parametrized_type_expression . (identifier) @name)
     (binary_expression
       .
       [(identifier) @name
        (parametrized_type_expression . (identifier) @name)])])) @definition.type

; Fields: `x::T`, `x`, and `x::T = default` under `@kwdef`.
(struct_definition
  (block
    [(typed_expression . (identifier) @name)
     (identifier) @name
     (assignment
       .
       [(identifier) @name
        (typed_expression . (identifier) @name)])] @definition.field))

; `function f(x)`, `function f(x)::T where T`, `function Base.show(io, x)`,
; `function +(a, b)`, `function Base.:(==)(a, b)`, `function Stack{T}() where T` (a
; parametric constructor, named without its parameters); `where` up to twice.
(function_definition
  (signature
    [(call_expression
       .
       [(identifier) @name
        (operator) @name
        (parametrized_type_expression . (identifier) @name)
        (field_expression
          value: (_) @receiver
          [(identifier) @name
           (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
     (typed_expression
       .
       (call_expression
         .
         [(identifier) @name
          (operator) @name
          (parametrized_type_expression . (identifier) @name)
          (field_expression
            value: (_) @receiver
            [(identifier) @name
             (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))
     (where_expression
       .
       [(call_expression
          .
          [(identifier) @name
           (operator) @name
           (parametrized_type_expression . (identifier) @name)
           (field_expression
             value: (_) @receiver
             [(identifier) @name
              (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
        (typed_expression
          .
          (call_expression
            .
            [(identifier) @name
             (operator) @name
             (parametrized_type_expression . (identifier) @name)
             (field_expression
               value: (_) @receiver
               [(identifier) @name
                (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))])
     (where_expression
       .
       (where_expression
         .
         [(call_expression
            .
            [(identifier) @name
             (operator) @name
             (parametrized_type_expression . (identifier) @name)
             (field_expression
               value: (_) @receiver
               [(identifier) @name
                (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
          (typed_expression
            .
            (call_expression
              .
              [(identifier) @name
               (operator) @name
               (parametrized_type_expression . (identifier) @name)
               (field_expression
                 value: (_) @receiver
                 [(identifier) @name
                  (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))]))])) @definition.function

; Short form: `area(c::Circle) = pi * c.r^2`, `f(x::T) where {T} = x`,
; `Base.:+(a, b) = ...`, at any depth (inner constructors become methods).
(assignment
  .
  [(call_expression
     .
     [(identifier) @name
      (operator) @name
      (parametrized_type_expression . (identifier) @name)
      (field_expression
        value: (_) @receiver
        [(identifier) @name
         (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
   (typed_expression
     .
     (call_expression
       .
       [(identifier) @name
        (operator) @name
        (parametrized_type_expression . (identifier) @name)
        (field_expression
          value: (_) @receiver
          [(identifier) @name
           (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))
   (where_expression
     .
     [(call_expression
        .
        [(identifier) @name
         (operator) @name
         (parametrized_type_expression . (identifier) @name)
         (field_expression
           value: (_) @receiver
           [(identifier) @name
            (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
      (typed_expression
        .
        (call_expression
          .
          [(identifier) @name
           (operator) @name
           (parametrized_type_expression . (identifier) @name)
           (field_expression
             value: (_) @receiver
             [(identifier) @name
              (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))])
   (where_expression
     .
     (where_expression
       .
       [(call_expression
          .
          [(identifier) @name
           (operator) @name
           (parametrized_type_expression . (identifier) @name)
           (field_expression
             value: (_) @receiver
             [(identifier) @name
              (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)])
        (typed_expression
          .
          (call_expression
            .
            [(identifier) @name
             (operator) @name
             (parametrized_type_expression . (identifier) @name)
             (field_expression
               value: (_) @receiver
               [(identifier) @name
                (quote_expression [(operator) @name (parenthesized_expression (operator) @name)])] .)]))]))]) @definition.function

; `square = x -> x^2`
(assignment
  .
  (identifier) @name
  .
  (operator)
  .
  (arrow_function_expression)) @definition.function

(macro_definition
  (signature
    (call_expression
      .
      (identifier) @name))) @definition.macro

; `const DEFAULT = 1.0`, `const N::Int = 3`, `const A, B = 1, 2`
(const_statement
  (assignment
    .
    [(identifier) @name
     (typed_expression . (identifier) @name)])) @definition.constant

(const_statement
  (assignment
    .
    (open_tuple (identifier) @name @definition.constant)))

; File- and module-level variables: `counter = 0`, `cache::Dict{String,Int} = Dict()`.
(source_file
  (assignment
    .
    [(identifier) @name
     (typed_expression . (identifier) @name)]) @definition.variable)

(module_definition
  (block
    (assignment
      .
      [(identifier) @name
       (typed_expression . (identifier) @name)]) @definition.variable))

; ---- references

; `using LinearAlgebra`, `import JSON`, `using A.B`, `import C as D`,
; `using Base: show, +` (Base, and show and + with Base as context), `include("x.jl")`.
[(using_statement [(identifier) @name (import_path) @name (import_alias . [(identifier) (import_path)] @name)])
 (import_statement [(identifier) @name (import_path) @name (import_alias . [(identifier) (import_path)] @name)])] @reference.import

(selected_import
  .
  [(identifier) (import_path)] @context
  [(identifier) @name
   (operator) @name
   (parametrized_type_expression . (identifier) @name)
   (import_alias . [(identifier) (operator)] @name)]) @reference.import

(selected_import
  .
  [(identifier) @name (import_path) @name]) @reference.import

(call_expression
  .
  (identifier) @_include
  (argument_list
    .
    (string_literal (content) @name))
  (#eq? @_include "include")) @reference.import

; Macros that wrap a definition decorate it: `@inline function f`, `Base.@kwdef struct S`.
(macrocall_expression
  .
  [(macro_identifier (identifier) @name)
   (field_expression . (_) @context (macro_identifier (identifier) @name))]
  (macro_argument_list
    .
    [(function_definition) (struct_definition) (macro_definition) (abstract_definition)
     (assignment . [(call_expression) (where_expression) (typed_expression)])])) @reference.decorator

(macrocall_expression
  .
  [(macro_identifier (identifier) @name)
   (field_expression . (_) @context (macro_identifier (identifier) @name))]) @reference.call

; `struct Circle <: Shape`, `abstract type Polygon <: Base.AbstractShape{Int} end`
(type_head
  (binary_expression
    .
    (_)
    .
    (operator)
    .
    [(identifier) @name
     (field_expression value: (_) @context (identifier) @name .)
     (parametrized_type_expression
       .
       [(identifier) @name
        (field_expression value: (_) @context (identifier) @name .)])])) @reference.inherit

((call_expression
  .
  (identifier) @name) @reference.call
  (#not-eq? @name "include"))

[(call_expression
   .
   [(field_expression value: (_) @context (identifier) @name .)
    (parametrized_type_expression
      .
      [(identifier) @name
       (field_expression value: (_) @context (identifier) @name .)])])
 (broadcast_call_expression
   .
   [(identifier) @name
    (field_expression value: (_) @context (identifier) @name .)])] @reference.call

; Type annotations (`x::T`, `f(x)::T`), parameters (`Vector{Int}`), bounds (`T <: Real`).
(typed_expression
  .
  (_)
  [(identifier) @name
   (field_expression value: (_) @context (identifier) @name .)
   (parametrized_type_expression
     .
     [(identifier) @name
      (field_expression value: (_) @context (identifier) @name .)])]) @reference.type

(parametrized_type_expression
  .
  [(identifier) @name
   (field_expression value: (_) @context (identifier) @name .)]) @reference.type

(curly_expression
  [(identifier) @name
   (field_expression value: (_) @context (identifier) @name .)
   (binary_expression
     (operator)
     .
     [(identifier) @name
      (field_expression value: (_) @context (identifier) @name .)])]) @reference.type

; Assignment targets (statements only: `f(key = 1)` passes a keyword).
(block
  (assignment
    .
    [(identifier) @name
     (typed_expression . (identifier) @name)
     (field_expression value: (_) @context (identifier) @name .)
     (open_tuple (identifier) @name)]) @reference.write)

(source_file
  (assignment
    .
    [(identifier) @name
     (typed_expression . (identifier) @name)
     (field_expression value: (_) @context (identifier) @name .)
     (open_tuple (identifier) @name)]) @reference.write)

(compound_assignment_expression
  .
  [(identifier) @name
   (field_expression value: (_) @context (identifier) @name .)]) @reference.write

(field_expression
  value: (_) @context
  (identifier) @name .) @reference.read
