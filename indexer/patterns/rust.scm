; Rust tags: fns, trait method signatures, structs, enums (and variants), unions, traits, type aliases, consts/statics, mods, macro_rules, impl scopes, fields; calls, macro calls, use imports, types, trait impls/bounds/derives, field access. Earlier patterns win.
; @context: the path of a scoped name (`use a::b::C;` -> a::b, `Foo::new()` -> Foo, `fmt::Display` -> fmt), the value of a field access or method call (`self.x.y()` -> self.x). In `use a::{b, c::D}`, b takes the list path (a) and D its own path (c).

; ---- definitions
(function_item
  name: (identifier) @name) @definition.function

; Trait method signatures (methods of the trait) and extern block declarations
(function_signature_item
  name: (identifier) @name) @definition.function

(struct_item
  name: (type_identifier) @name) @definition.struct

(enum_item
  name: (type_identifier) @name) @definition.enum

(union_item
  name: (type_identifier) @name) @definition.union

(trait_item
  name: (type_identifier) @name) @definition.trait

(type_item
  name: (type_identifier) @name) @definition.type

; `type Item;` inside a trait
(associated_type
  name: (type_identifier) @name) @definition.type

; `const _: () = ...` (a compile-time check) defines nothing
(const_item
  name: (identifier) @name
  (#not-eq? @name "_")) @definition.constant

(static_item
  (mutable_specifier)
  name: (identifier) @name) @definition.variable

(static_item
  name: (identifier) @name) @definition.constant

(mod_item
  name: (identifier) @name) @definition.module

(macro_definition
  name: (identifier) @name) @definition.macro

(field_declaration
  name: (field_identifier) @name) @definition.field

(enum_variant
  name: (identifier) @name) @definition.constant

; `impl Foo { }`, `impl<T> Foo<T> { }`, `impl Trait for foo::Foo { }`: methods become Foo.method
(impl_item
  type: [(type_identifier) @name
         (generic_type type: (type_identifier) @name)
         (scoped_type_identifier name: (type_identifier) @name)
         (generic_type type: (scoped_type_identifier name: (type_identifier) @name))]) @scope

; `impl Sink for &mut S`, `impl Foo for *const T`, `impl dyn Trait`, `impl Foo for u8`:
; methods become S.method, T.method, Trait.method, u8.method
(impl_item
  type: [(reference_type
           type: [(type_identifier) @name
                  (generic_type type: (type_identifier) @name)
                  (scoped_type_identifier name: (type_identifier) @name)])
         (pointer_type
           type: [(type_identifier) @name
                  (generic_type type: (type_identifier) @name)
                  (scoped_type_identifier name: (type_identifier) @name)])
         (dynamic_type
           trait: [(type_identifier) @name
                   (generic_type type: (type_identifier) @name)
                   (scoped_type_identifier name: (type_identifier) @name)])
         (primitive_type) @name]) @scope

; `impl Foo for [u8]`, `for (A, B)`, `for &[T]`: the type's text names the scope
(impl_item
  type: [(array_type) @name
         (tuple_type) @name
         (reference_type type: [(array_type) (tuple_type)] @name)]) @scope

; ---- references
(call_expression
  function: [(identifier) @name
             (field_expression value: (_) @context field: (field_identifier) @name)
             (scoped_identifier path: (_)? @context name: (identifier) @name)
             (generic_function
               function: [(identifier) @name
                          (field_expression value: (_) @context field: (field_identifier) @name)
                          (scoped_identifier path: (_)? @context name: (identifier) @name)])]) @reference.call

(macro_invocation
  macro: [(identifier) @name
          (scoped_identifier path: (_)? @context name: (identifier) @name)]) @reference.call

; use a::b::Leaf;  use a::b as c;  use a::{b, c::D, e as f, self};  use a::b::*;  extern crate x;
(use_declaration
  argument: [(identifier) @name
             (scoped_identifier path: (_)? @context name: (identifier) @name)
             (use_as_clause path: [(identifier) @name
                                   (scoped_identifier path: (_)? @context name: (identifier) @name)])]) @reference.import

; A plain name in a braced list takes the list's path as @context; a qualified one
; (`c::D` in `use a::{c::D}`) takes its own path (`c`), not the full `a::c`.
(scoped_use_list
  path: (_) @context
  list: (use_list
    [(identifier) @name
     (use_as_clause path: (identifier) @name)])) @reference.import

(use_list
  [(identifier) @name
   (scoped_identifier path: (_)? @context name: (identifier) @name)
   (use_as_clause path: [(identifier) @name
                         (scoped_identifier path: (_)? @context name: (identifier) @name)])]) @reference.import

(scoped_use_list
  path: [(identifier) @name
         (scoped_identifier path: (_)? @context name: (identifier) @name)]
  list: (use_list (self))) @reference.import

(use_wildcard
  [(identifier) @name
   (scoped_identifier path: (_)? @context name: (identifier) @name)]) @reference.import

(extern_crate_declaration
  name: (identifier) @name) @reference.import

; impl Trait for Foo, trait Sub: Super, #[derive(Trait)]
(impl_item
  trait: [(type_identifier) @name
          (scoped_type_identifier path: (_)? @context name: (type_identifier) @name)
          (generic_type type: [(type_identifier) @name
                               (scoped_type_identifier path: (_)? @context name: (type_identifier) @name)])]) @reference.inherit

(trait_item
  bounds: (trait_bounds
    [(type_identifier) @name
     (scoped_type_identifier path: (_)? @context name: (type_identifier) @name)
     (generic_type type: (type_identifier) @name)])) @reference.inherit

(attribute_item
  (attribute
    (identifier) @_derive
    arguments: (token_tree (identifier) @name))
  (#eq? @_derive "derive")) @reference.inherit

; Types used anywhere a type goes (type parameter declarations and the names of
; definitions are left out on purpose: only uses are listed).
(_
  type: (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(_
  return_type: (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(_
  element: (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(_
  trait: (type_identifier) @name @reference.type)

(_
  alias: (type_identifier) @name @reference.type)

(type_arguments
  (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(tuple_type
  (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(trait_bounds
  (type_identifier) @name @reference.type)

(where_predicate
  left: (type_identifier) @name @reference.type
  (#not-match? @name "^(_|Self)$"))

(scoped_type_identifier
  path: (_)? @context
  name: (type_identifier) @name @reference.type)

(struct_expression
  name: (type_identifier) @name @reference.type)

; Field access that is not a call
(field_expression
  value: (_) @context
  field: (field_identifier) @name) @reference.read
