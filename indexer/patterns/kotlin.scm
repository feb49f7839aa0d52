; Kotlin tags: package, classes, interfaces, enums (and entries), objects and companion objects, type aliases, functions, methods, extension functions and properties (named after the extended type: `fun Parcel.heavy()` -> Parcel.heavy), secondary constructors (`constructor`), properties (top-level, members, `val`/`var` constructor parameters); calls, constructor calls, infix calls, callable references, imports, types, annotations, supertypes and delegation, member access, assignments. Earlier patterns win.
; @context: the object of a call or member access (`repo.save()` -> repo), the qualifier of a qualified name (`import java.time.Duration` -> java.time, `java.io.Serializable` -> java.io), the left side of a callable reference (`String::length` -> String).
; The grammar (fwcd's) has few fields: positions are read from node types and order.

; ---- definitions
(package_header
  (identifier) @name) @definition.package

(class_declaration
  "interface"
  (type_identifier) @name) @definition.interface

(class_declaration
  "enum"
  (type_identifier) @name) @definition.enum

(class_declaration
  (type_identifier) @name) @definition.class

(object_declaration
  (type_identifier) @name) @definition.object

; A named companion object is an object of its class; an unnamed one (`Companion`) adds
; no name, so its members are named as Kotlin code calls them: `Parcel.of`.
(companion_object
  (type_identifier) @name) @definition.object

(type_alias
  (type_identifier) @name) @definition.type

(enum_entry
  (simple_identifier) @name) @definition.constant

; Extension functions and properties are named after the extended type, without its
; type arguments or nullability: `fun List<T>.maxOr()` -> List.maxOr, `val String?.x`
; -> String.x.
(function_declaration
  receiver: (receiver_type
    [(user_type (type_identifier) @receiver . (type_arguments)? .)
     (nullable_type (user_type (type_identifier) @receiver . (type_arguments)? .))])
  (simple_identifier) @name) @definition.method

(property_declaration
  receiver: (receiver_type
    [(user_type (type_identifier) @receiver . (type_arguments)? .)
     (nullable_type (user_type (type_identifier) @receiver . (type_arguments)? .))])
  (variable_declaration
    (simple_identifier) @name)) @definition.field

; Members of class bodies are methods, also those of an enum entry's or an anonymous
; object's body (`A { override fun f() = 1 }`, `object : Tracker { ... }`)
(class_body
  (function_declaration
    (simple_identifier) @name) @definition.method)

(function_declaration
  (simple_identifier) @name) @definition.function

(secondary_constructor
  "constructor" @name) @definition.method

; Properties: `const val` at the top level or in an object is a constant, other top-level
; ones are variables, class members fields; locals inside functions are left out.
; `val (a, b) = pair` defines each name.
(source_file
  (property_declaration
    (modifiers (property_modifier) @_const)
    (variable_declaration
      (simple_identifier) @name)) @definition.constant
  (#eq? @_const "const"))

(class_body
  (property_declaration
    (modifiers (property_modifier) @_const)
    (variable_declaration
      (simple_identifier) @name)) @definition.constant
  (#eq? @_const "const"))

(source_file
  (property_declaration
    (variable_declaration
      (simple_identifier) @name)) @definition.variable)

(source_file
  (property_declaration
    (multi_variable_declaration
      (variable_declaration
        (simple_identifier) @name) @definition.variable)))

(class_body
  (property_declaration
    (variable_declaration
      (simple_identifier) @name)) @definition.field)

(enum_class_body
  (property_declaration
    (variable_declaration
      (simple_identifier) @name)) @definition.field)

(class_body
  (property_declaration
    (multi_variable_declaration
      (variable_declaration
        (simple_identifier) @name) @definition.field)))

; `class Parcel(val id: String)`: a `val`/`var` constructor parameter is a property
(class_parameter
  (binding_pattern_kind)
  (simple_identifier) @name) @definition.field

; ---- references
; Annotations: `@Inject`, `@JvmName("x")`, `@get:JvmName(...)`, `@file:JvmName(...)`
([(annotation
   [(user_type (type_identifier) @name . (type_arguments)? .)
    (user_type (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)
    (constructor_invocation
      (user_type (type_identifier) @name . (type_arguments)? .))
    (constructor_invocation
      (user_type (type_identifier) @context . (type_identifier) @name . (type_arguments)? .))])
  (file_annotation
   [(user_type (type_identifier) @name .)
    (constructor_invocation
      (user_type (type_identifier) @name . (type_arguments)? .))])] @reference.decorator)

; Supertypes: `: Base()`, `: Comparable<Parcel>`, `: Tracker by impl`
(delegation_specifier
  [(user_type (type_identifier) @name . (type_arguments)? .)
   (user_type (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)
   (user_type . (type_identifier) @context (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)
   (constructor_invocation
     [(user_type (type_identifier) @name . (type_arguments)? .)
      (user_type (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)
      (user_type . (type_identifier) @context (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)])
   (explicit_delegation
     [(user_type (type_identifier) @name . (type_arguments)? .)
      (user_type (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)])]) @reference.inherit

; Imports: the last segment is the name, the path before it the context. A wildcard
; import (`import a.b.*`) names the package it imports from.
(import_header
  (identifier
    .
    (simple_identifier) @context
    (simple_identifier) @context
    .
    (simple_identifier) @name .)) @reference.import

(import_header
  (identifier
    .
    (simple_identifier) @context
    .
    (simple_identifier) @name .)) @reference.import

(import_header
  (identifier
    (simple_identifier) @name .)) @reference.import

; Calls: `f()`, `Parcel(id)`, `obj.save()`, `a?.b()`, `run { }`
(call_expression
  .
  (simple_identifier) @name) @reference.call

(call_expression
  .
  (navigation_expression
    (_) @context
    .
    (navigation_suffix
      (simple_identifier) @name))) @reference.call

; `a to b`, `1 until n`: the infix function is called
(infix_expression
  (_)
  .
  (simple_identifier) @name
  .
  (_)) @reference.call

; `String::length` (context String), `::println`, `this::run`
(callable_reference
  (_) @context
  .
  (simple_identifier) @name .) @reference.call

(callable_reference
  .
  (simple_identifier) @name .) @reference.call

; Assignment targets, before member reads: `x = 1`, `obj.field += 2`, `this.last = t`
(assignment
  (directly_assignable_expression
    .
    (simple_identifier) @name .)) @reference.write

(assignment
  (directly_assignable_expression
    (_) @context
    .
    (navigation_suffix
      (simple_identifier) @name) .)) @reference.write

; Types where a type goes (declarations' own names are not under user_type): the last
; segment is the name, the ones before it the context (`Status.Lost` -> Status).
(user_type
  .
  (type_identifier) @context
  (type_identifier) @context
  .
  (type_identifier) @name
  .
  (type_arguments)? .) @reference.type

(user_type
  .
  (type_identifier) @context
  .
  (type_identifier) @name
  .
  (type_arguments)? .) @reference.type

(user_type
  .
  (type_identifier) @name
  .
  (type_arguments)? .) @reference.type

; Member access that is not called or assigned: `p.weight`, `Status.Delivered`
(navigation_expression
  (_) @context
  .
  (navigation_suffix
    (simple_identifier) @name)) @reference.read
