; Swift tags: classes, structs, enums (and cases), actors, protocols (interfaces, with their requirements), extensions (a scope named after the extended type: `extension Session { func f() }` -> Session.f), functions, methods, operators, `init`, `deinit`, `subscript`, properties (top-level `let` constants and `var` variables, members fields), type aliases and associated types; calls, constructor calls, subscripts, imports, types, attributes, inheritance and conformances, member access, assignments. Earlier patterns win.
; @context: the object of a call or member access (`session.request()` -> session), the module of an import (`import struct Foundation.URL` -> Foundation), the qualifier of a qualified type (`Foo.Bar` -> Foo).
; The grammar's `name` field also holds return and value types: names are matched by node type.

; ---- definitions
(class_declaration
  declaration_kind: "class"
  name: (type_identifier) @name) @definition.class

(class_declaration
  declaration_kind: "actor"
  name: (type_identifier) @name) @definition.class

(class_declaration
  declaration_kind: "struct"
  name: (type_identifier) @name) @definition.struct

(class_declaration
  declaration_kind: "enum"
  name: (type_identifier) @name) @definition.enum

(protocol_declaration
  name: (type_identifier) @name) @definition.interface

; `extension Foo.Bar<T>: P { ... }` names its members Foo.Bar.member
(class_declaration
  declaration_kind: "extension"
  name: [(user_type . (type_identifier) @name . (type_arguments)? .)
         (user_type . (type_identifier) @name . (type_identifier) @name . (type_arguments)? .)]) @scope

(typealias_declaration
  name: (type_identifier) @name) @definition.type

(associatedtype_declaration
  name: (type_identifier) @name) @definition.type

; Functions and operators (`static func == (...)`, `prefix func -`)
(function_declaration
  name: [(simple_identifier) (custom_operator)
         "==" "!=" "===" "!==" "<" ">" "<=" ">=" "+" "-" "*" "/" "%" "!" "&" "|" "^" "~"
         "<<" ">>" "&&" "||" "+=" "-=" "*=" "/=" "%=" "..." "..<"] @name) @definition.function

(protocol_function_declaration
  name: [(simple_identifier) (custom_operator)
         "==" "!=" "<" ">" "<=" ">=" "+" "-" "*" "/"] @name) @definition.method

(init_declaration
  name: "init" @name) @definition.method

(deinit_declaration
  "deinit" @name) @definition.method

(subscript_declaration
  "subscript" @name) @definition.method

; `case a(Int), b` defines each name: one case is the whole entry, several are each their
; name, so they do not nest in one another.
(enum_entry
  name: (simple_identifier) @name @definition.constant
  .
  name: (simple_identifier))

(enum_entry
  name: (simple_identifier)
  .
  name: (simple_identifier) @name @definition.constant)

(enum_entry
  name: (simple_identifier) @name) @definition.constant

; Properties: members are fields; at the top level `let` is a constant and `var` a
; variable; locals are left out. `let a = 1, b = 2` defines each binding.
(protocol_property_declaration
  name: (pattern
    bound_identifier: (simple_identifier) @name)) @definition.field

(class_body
  (property_declaration
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.field
    name: (pattern)))

(class_body
  (property_declaration
    name: (pattern)
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.field))

(class_body
  (property_declaration
    name: (pattern
      bound_identifier: (simple_identifier) @name)) @definition.field)

(enum_class_body
  (property_declaration
    name: (pattern
      bound_identifier: (simple_identifier) @name)) @definition.field)

(source_file
  (property_declaration
    (value_binding_pattern
      mutability: "let")
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.constant
    name: (pattern)))

(source_file
  (property_declaration
    (value_binding_pattern
      mutability: "let")
    name: (pattern)
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.constant))

(source_file
  (property_declaration
    (value_binding_pattern
      mutability: "let")
    name: (pattern
      bound_identifier: (simple_identifier) @name)) @definition.constant)

(source_file
  (property_declaration
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.variable
    name: (pattern)))

(source_file
  (property_declaration
    name: (pattern)
    name: (pattern
      bound_identifier: (simple_identifier) @name) @definition.variable))

(source_file
  (property_declaration
    name: (pattern
      bound_identifier: (simple_identifier) @name)) @definition.variable)

; ---- references
; Attributes: `@objc`, `@available(iOS 13, *)`, `@MainActor`, `@Published`
(attribute
  [(user_type . (type_identifier) @name . (type_arguments)? .)
   (user_type . (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)]) @reference.decorator

; Superclasses and protocols: `class Session: NSObject, Sendable`, `extension X: P`
(inheritance_specifier
  inherits_from: [(user_type . (type_identifier) @name . (type_arguments)? .)
                  (user_type . (type_identifier) @context . (type_identifier) @name . (type_arguments)? .)]) @reference.inherit

; Imports: `import Foundation`, `import struct Foundation.URL` (context Foundation)
(import_declaration
  (identifier
    .
    (simple_identifier) @context
    (simple_identifier) @context
    .
    (simple_identifier) @name .)) @reference.import

(import_declaration
  (identifier
    .
    (simple_identifier) @context
    .
    (simple_identifier) @name .)) @reference.import

(import_declaration
  (identifier
    (simple_identifier) @name .)) @reference.import

; Subscripts parse as calls: `requests[id] = r` assigns into requests, `requests[id]`
; reads it
(assignment
  target: (directly_assignable_expression
    (call_expression
      .
      (simple_identifier) @name
      (call_suffix
        (value_arguments
          "["))))) @reference.write

(assignment
  target: (directly_assignable_expression
    (call_expression
      .
      (navigation_expression
        target: (_) @context
        suffix: (navigation_suffix
          suffix: (simple_identifier) @name))
      (call_suffix
        (value_arguments
          "["))))) @reference.write

(call_expression
  .
  (simple_identifier) @name
  (call_suffix
    (value_arguments
      "["))) @reference.read

(call_expression
  .
  (navigation_expression
    target: (_) @context
    suffix: (navigation_suffix
      suffix: (simple_identifier) @name))
  (call_suffix
    (value_arguments
      "["))) @reference.read

; Calls: `f()`, `Session(queue:)`, `session.request(url)`, `self?.perform()`, `.success(x)`
(call_expression
  .
  (simple_identifier) @name) @reference.call

(call_expression
  .
  (navigation_expression
    target: (_) @context
    suffix: (navigation_suffix
      suffix: (simple_identifier) @name))) @reference.call

(call_expression
  .
  (prefix_expression
    operation: "."
    target: (simple_identifier) @name)) @reference.call

; Assignment targets, before member reads: `counter = 3`, `self.queue = queue` (not the
; discard `_ = f()`)
(assignment
  target: (directly_assignable_expression
    (simple_identifier) @name)
  (#not-eq? @name "_")) @reference.write

(assignment
  target: (directly_assignable_expression
    (navigation_expression
      target: (_) @context
      suffix: (navigation_suffix
        suffix: (simple_identifier) @name)))) @reference.write

; Types where a type goes (declarations' own names are not under user_type): the last
; segment is the name, the ones before it the context (`Foo.Bar` -> Foo).
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

; Member access that is not called or assigned: `request.id`, and implicit members
; (`.main`, `.idle`)
(navigation_expression
  target: (_) @context
  suffix: (navigation_suffix
    suffix: (simple_identifier) @name)) @reference.read

(prefix_expression
  operation: "."
  target: (simple_identifier) @name) @reference.read
