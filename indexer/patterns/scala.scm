; Scala tags (2 and 3): packages (clauses prefix the rest of the file; `package a { }` blocks and package objects are modules), classes, case classes, traits, objects, enums (and cases), type members and aliases, functions, methods (`def this` constructors included), vals and vars (members are fields, case-class and `val`/`var` constructor parameters too; locals are left out), named givens, extensions (a scope named after the extended type: `extension (s: String) def shout` -> String.shout); calls, `new`, infix calls, imports, types, annotations, extends/with, member access, assignments. Earlier patterns win.
; @context: the object of a call or member access (`xs.map(f)` -> xs), the path of an import (`import cats.data.{NonEmptyList}` -> cats.data), the qualifier of a type (`Decoder.Result` -> Decoder).

; ---- definitions
; `package a.b` applies to the rest of the file; a second clause nests in the first
(package_clause
  name: (package_identifier) @name
  !body) @definition.package

(package_clause
  name: (package_identifier) @name
  body: (_)) @definition.module

(package_object
  name: (identifier) @name) @definition.module

(class_definition
  name: (identifier) @name) @definition.class

(trait_definition
  name: (identifier) @name) @definition.trait

(object_definition
  name: (identifier) @name) @definition.object

(enum_definition
  name: (identifier) @name) @definition.enum

(simple_enum_case
  name: (identifier) @name) @definition.constant

(full_enum_case
  name: (identifier) @name) @definition.constant

(type_definition
  name: (type_identifier) @name) @definition.type

; `extension (s: String)` / `extension [T](xs: List[T])` names its methods String.m
(extension_definition
  parameters: (parameters
    (parameter
      type: [(type_identifier) @name
             (generic_type type: (type_identifier) @name)]))) @scope

; Members of a template body are methods, also those of an anonymous class
; (`new Decoder[A] { def apply(...) }`)
(template_body
  [(function_definition name: (_) @name)
   (function_declaration name: (_) @name)] @definition.method)

(function_definition
  name: (_) @name) @definition.function

(function_declaration
  name: (_) @name) @definition.function

(given_definition
  name: (identifier) @name) @definition.variable

; vals and vars: members of a class, trait or object are fields; top-level ones (Scala 3,
; package objects) variables; locals are left out. `val a, b = 0` and `val (a, b) = p`
; define each name.
(template_body
  [(val_definition pattern: (identifier) @name)
   (var_definition pattern: (identifier) @name)
   (val_declaration name: (identifier) @name)
   (var_declaration name: (identifier) @name)] @definition.field)

(template_body
  [(val_definition pattern: [(identifiers (identifier) @name @definition.field)
                             (tuple_pattern (identifier) @name @definition.field)])
   (var_definition pattern: [(identifiers (identifier) @name @definition.field)
                             (tuple_pattern (identifier) @name @definition.field)])])

(enum_body
  [(val_definition pattern: (identifier) @name)
   (var_definition pattern: (identifier) @name)] @definition.field)

(compilation_unit
  [(val_definition pattern: (identifier) @name)
   (var_definition pattern: (identifier) @name)] @definition.variable)

(compilation_unit
  [(val_definition pattern: [(identifiers (identifier) @name @definition.variable)
                             (tuple_pattern (identifier) @name @definition.variable)])
   (var_definition pattern: [(identifiers (identifier) @name @definition.variable)
                             (tuple_pattern (identifier) @name @definition.variable)])])

; Constructor parameters that are fields: every parameter of a case class, `val`/`var`
; ones of any class
(class_definition
  "case"
  class_parameters: (class_parameters
    (class_parameter
      name: (identifier) @name) @definition.field))

(class_parameter
  ["val" "var"]
  name: (identifier) @name) @definition.field

; ---- references
; Annotations: `@deprecated("x", "1.0")`, `@tailrec`
(annotation
  name: [(type_identifier) @name
         (stable_type_identifier . (_) @context (type_identifier) @name .)
         (generic_type type: (type_identifier) @name)]) @reference.decorator

; `extends A with B[C]`, `case Red extends Color(1)`
; (The grammar labels `with` and the dots of a path with the field as well, which trips
; field matching: these use node types only.)
(extends_clause
  [(type_identifier) @name
   (stable_type_identifier . (_) @context (type_identifier) @name .)
   (generic_type type: [(type_identifier) @name
                        (stable_type_identifier . (_) @context (type_identifier) @name .)])]) @reference.inherit

(derives_clause
  [(type_identifier) @name
   (stable_type_identifier . (_) @context (type_identifier) @name .)]) @reference.inherit

; Imports: `import a.b.c` (c, context a.b), `import a.b.{c, d => e, _}` (c and d,
; context a.b), `import a.b.c as d` (c), `import a.b._` (b, context a)
(import_declaration
  .
  (identifier) @context
  (identifier) @context
  .
  [(namespace_selectors
     [(identifier) @name
      (arrow_renamed_identifier name: (identifier) @name)
      (as_renamed_identifier name: (identifier) @name)])
   (as_renamed_identifier name: (identifier) @name)]) @reference.import

(import_declaration
  .
  (identifier) @context
  .
  [(namespace_selectors
     [(identifier) @name
      (arrow_renamed_identifier name: (identifier) @name)
      (as_renamed_identifier name: (identifier) @name)])
   (as_renamed_identifier name: (identifier) @name)]) @reference.import

(import_declaration
  .
  (identifier) @context
  (identifier) @context
  .
  (identifier) @name
  .
  (namespace_wildcard)? .) @reference.import

(import_declaration
  .
  (identifier) @context
  .
  (identifier) @name
  .
  (namespace_wildcard)? .) @reference.import

(import_declaration
  .
  (identifier) @name
  .
  (namespace_wildcard)? .) @reference.import

; Calls: `f(x)`, `Person("a")`, `xs.map(f)`, `Box.apply[Int](1)`, `new Box(v)`
(call_expression
  function: [(identifier) @name
             (field_expression value: (_) @context field: (identifier) @name)
             (generic_function
               function: [(identifier) @name
                          (field_expression value: (_) @context field: (identifier) @name)])]) @reference.call

(instance_expression
  [(type_identifier) @name
   (stable_type_identifier . (_) @context (type_identifier) @name .)
   (generic_type type: [(type_identifier) @name
                        (stable_type_identifier . (_) @context (type_identifier) @name .)])]) @reference.call

; `xs map f`: an infix call of a named method (not of an operator like `+`)
(infix_expression
  left: (_) @context
  operator: (identifier) @name) @reference.call

; Assignment targets, before member reads: `counter = 3`, `this.h = 2`
(assignment_expression
  left: [(identifier) @name
         (field_expression value: (_) @context field: (identifier) @name)]) @reference.write

; Types where a type goes: the name of a qualified type is its last part
(stable_type_identifier
  .
  (_) @context
  (type_identifier) @name .) @reference.type

(type_identifier) @name @reference.type

; Member access that is not called or assigned: `that.age`, `Decoder.Result`
(field_expression
  value: (_) @context
  field: (identifier) @name) @reference.read
