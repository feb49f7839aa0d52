; Rust tags: fns, trait method signatures, structs, enums (and variants), unions, traits,
; type aliases, consts/statics, mods, macro_rules, impl scopes, fields; bindings
; (parameters, closure parameters, `let`, patterns) with the evidence of their types;
; every use of a name, with its role. Earlier patterns win.
; @context: the path of a scoped name (`use a::b::C;` -> a::b, `Foo::new()` -> Foo,
; `fmt::Display` -> fmt), the value of a field access or method call (`self.x.y()` ->
; self.x), the struct a field initializer writes (`Foo { x: 1 }` -> Foo). In
; `use a::{b, c::D}`, b takes the list path (a) and D its own path (c).
; @type: a function's declared result, a field's, constant's or static's type.

; ---- definitions
(function_item
  name: (identifier) @name
  return_type: (_)? @type) @definition.function

; Trait method signatures (methods of the trait) and extern block declarations
(function_signature_item
  name: (identifier) @name
  return_type: (_)? @type) @definition.function

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
  type: (_) @type
  (#not-eq? @name "_")) @definition.constant

(static_item
  (mutable_specifier)
  name: (identifier) @name
  type: (_) @type) @definition.variable

(static_item
  name: (identifier) @name
  type: (_) @type) @definition.constant

(mod_item
  name: (identifier) @name) @definition.module

(macro_definition
  name: (identifier) @name) @definition.macro

(field_declaration
  name: (field_identifier) @name
  type: (_) @type) @definition.field

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

; ---- bindings: parameters, locals and the names patterns bind (a use of one is no use
; of a definition), with the evidence of their type (see indexer/bindings.py)

(parameter pattern: (identifier) @name type: (_) @type) @binding.param
(closure_parameters (identifier) @name) @binding.param
; a `use` under another name binds that name (queries/resolve_imports.py): `use
; a::b::C as D` (@value the item's name)
(use_as_clause
  path: [(identifier) @value (scoped_identifier name: (identifier) @value)]
  alias: (identifier) @name) @binding.import

; a function's type parameters: fn f<T: Clone>(x: T)
(function_item
  type_parameters: (type_parameters
    (type_parameter name: (type_identifier) @name) @binding.local))

; `let x: T = ...`
(let_declaration pattern: (identifier) @name type: (_) @type) @binding.local

; `let x = T::new()`, `let x = make()?`, `let x = T::open(p).unwrap()`,
; `let x = fetch().await?`, `let x = self.build()`: the callee's declared result
(let_declaration
  pattern: (identifier) @name
  value: (call_expression
    function: (field_expression
      value: (call_expression
        function: [(identifier) (scoped_identifier) (field_expression)] @value)
      field: (field_identifier) @_unwrap))
  (#match? @_unwrap "^(unwrap|expect|unwrap_or_default)$")) @binding.call

(let_declaration
  pattern: (identifier) @name
  value: [(call_expression
            function: [(identifier) (scoped_identifier) (field_expression)] @value)
          (try_expression
            (call_expression
              function: [(identifier) (scoped_identifier) (field_expression)] @value))
          (try_expression
            (await_expression
              (call_expression
                function: [(identifier) (scoped_identifier) (field_expression)] @value)))
          (await_expression
            (call_expression
              function: [(identifier) (scoped_identifier) (field_expression)] @value))]) @binding.call

; `let x = T { .. }`, `let x = &mut T { .. }`
(let_declaration
  pattern: (identifier) @name
  value: [(struct_expression name: (_) @type)
          (reference_expression value: (struct_expression name: (_) @type))]) @binding.local

; `let x = other`, `let x = &mut self.inner`
(let_declaration
  pattern: (identifier) @name
  value: [[(identifier) (field_expression)] @value
          (reference_expression value: [(identifier) (field_expression)] @value)]) @binding.alias

(let_declaration pattern: (identifier) @name) @binding.local

; names bound by patterns (`(a, b)`, `Some(x)`, `Point { x, y: py }`, `ref r`, `n @ ..`,
; `[first, .., last]`, `&x`, `for x in`, a match arm's `other`); a name that starts with
; a capital is a constant or a unit variant, not a binding
((tuple_pattern (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
((tuple_struct_pattern type: (_) (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
(field_pattern name: (shorthand_field_identifier) @name) @binding.local
(field_pattern pattern: (identifier) @name) @binding.local
(ref_pattern (identifier) @name) @binding.local
(mut_pattern (identifier) @name) @binding.local
(captured_pattern . (identifier) @name) @binding.local
((slice_pattern (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
((or_pattern (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
((reference_pattern (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
((match_pattern (identifier) @name) @binding.local
  (#match? @name "^[a-z_]"))
(for_expression pattern: (identifier) @name) @binding.local
(let_condition pattern: (identifier) @name) @binding.local

; ---- references: every use of a name, with its role
; names that use nothing: `_`, `Self` (the type of the impl), type parameters' names,
; lifetimes, labels
((identifier) @name @reference.skip
  (#match? @name "^(_|Self)$"))
((type_identifier) @name @reference.skip
  (#match? @name "^(_|Self)$"))
(type_parameter name: (type_identifier) @name @reference.skip)
(lifetime (identifier) @name @reference.skip)
(label (identifier) @name @reference.skip)

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

; `use a::b::*` imports `*` from a::b (as Python's `from m import *`)
(use_wildcard
  (_) @context
  "*" @name) @reference.import

(extern_crate_declaration
  name: (identifier) @name) @reference.import

; the paths a `use` names its items by, and its aliases, are no uses of their own
(use_as_clause alias: (identifier) @name @reference.skip)
(extern_crate_declaration alias: (identifier) @name @reference.skip)
(scoped_use_list path: (identifier) @name @reference.skip)
(scoped_use_list
  path: (scoped_identifier
    [(identifier) @name @reference.skip
     (scoped_identifier [(identifier) @name @reference.skip
                         (scoped_identifier (identifier) @name @reference.skip)])]))
(use_declaration argument: (scoped_identifier
  path: [(identifier) @name @reference.skip
         (scoped_identifier [(identifier) @name @reference.skip
                             (scoped_identifier (identifier) @name @reference.skip)])]))
(use_as_clause path: (scoped_identifier
  path: [(identifier) @name @reference.skip
         (scoped_identifier [(identifier) @name @reference.skip
                             (scoped_identifier (identifier) @name @reference.skip)])]))
(use_list (scoped_identifier
  path: [(identifier) @name @reference.skip
         (scoped_identifier [(identifier) @name @reference.skip
                             (scoped_identifier (identifier) @name @reference.skip)])]))
(use_wildcard (identifier) @name @reference.skip)
(use_wildcard
  (scoped_identifier
    [(identifier) @name @reference.skip
     (scoped_identifier [(identifier) @name @reference.skip
                         (scoped_identifier (identifier) @name @reference.skip)])]))

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

; other attributes decorate: #[test], #[cfg(...)], #[serde::skip]
([(attribute_item (attribute [(identifier) @name
                              (scoped_identifier path: (_) @context name: (identifier) @name)]))
  (inner_attribute_item (attribute [(identifier) @name
                                    (scoped_identifier path: (_) @context name: (identifier) @name)]))]) @reference.decorator

; a macro's arguments are tokens, not expressions: the names in them are not told apart
(token_tree (identifier) @name @reference.skip)
(token_tree_pattern (identifier) @name @reference.skip)

; a struct literal's fields are written: `Store { name: n, count }` writes Store's name
; and count; a struct pattern's are read
(struct_expression
  name: [(type_identifier) @context
         (scoped_type_identifier) @context
         (generic_type type: (_) @context)]
  body: (field_initializer_list
    [(field_initializer field: (field_identifier) @name)
     (shorthand_field_initializer (identifier) @name)])) @reference.write

(struct_pattern
  type: (_) @context
  (field_pattern name: (field_identifier) @name)) @reference.read

; Assignments: `x = v`, `self.n += 1` write (a local's name is dropped)
([(assignment_expression
    left: [(identifier) @name
           (field_expression value: (_) @context field: (field_identifier) @name)])
  (compound_assignment_expr
    left: [(identifier) @name
           (field_expression value: (_) @context field: (field_identifier) @name)])]) @reference.write

; Types used anywhere a type goes (definitions' names are no uses: they are dropped);
; `a::B` first, for its path as @context
(scoped_type_identifier
  path: (_)? @context
  name: (type_identifier) @name) @reference.type

(type_identifier) @name @reference.type

; Field access and method values that are not calls
(field_expression
  value: (_) @context
  field: (field_identifier) @name) @reference.read

; Paths that are not calls: `Ordering::Less`, `mem::swap` as a value, `a::b` in `a::b::f`
(scoped_identifier
  path: (_)? @context
  name: (identifier) @name) @reference.read

; Every other name used: arguments, operands, returned values, function values
(identifier) @name @reference.read
