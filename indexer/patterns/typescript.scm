; TypeScript tags (.ts, .mts, .cts): classes, interfaces, type aliases, enums, namespaces,
; functions, methods, fields, top-level constants/variables; calls, imports, inheritance,
; type references and member access. Earlier patterns win when two capture the same name.
; @context: the source string of an import or re-export (`"./lib/x"`, quotes kept), the
; object of a member access or call (`this.client.send()` -> this.client), the namespace
; of a qualified type (`ns.Base` -> ns).

; ---- definitions

; Classes (plain, abstract, `const X = class {}`, named class expressions)
(class_declaration
  name: (type_identifier) @name) @definition.class

(abstract_class_declaration
  name: (type_identifier) @name) @definition.class

(class
  name: (type_identifier) @name) @definition.class

(interface_declaration
  name: (type_identifier) @name) @definition.interface

(type_alias_declaration
  name: (type_identifier) @name) @definition.type

(enum_declaration
  name: (identifier) @name) @definition.enum

; Enum members: `enum Color { Red, Green = 2, "dark-red" }` -> Color.Red, Color.Green,
; Color.dark-red. A member named by a string is named by the string's text without quotes
; (here and for the class, interface and object members below); a string with escapes is
; left out.
(enum_body
  [(property_identifier) @name @definition.constant
   (string . (string_fragment) @name .) @definition.constant
   (enum_assignment
     name: [(property_identifier) @name
            (string . (string_fragment) @name .)]) @definition.constant])

; Namespaces and modules: `namespace A.B {}`, `module M {}`, `declare module "m" {}`
(internal_module
  name: [(identifier) (nested_identifier)] @name) @definition.module

(module
  name: [(identifier) (nested_identifier)] @name) @definition.module

(module
  name: (string (string_fragment) @name)) @definition.module

; Functions, generators, overload and `declare` signatures
(function_declaration
  name: (identifier) @name) @definition.function

(generator_function_declaration
  name: (identifier) @name) @definition.function

(function_signature
  name: (identifier) @name) @definition.function

; Methods in class bodies (incl. constructor, getters/setters, abstract signatures)
(class_body
  (method_definition
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.method)

(class_body
  (method_signature
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.method)

(class_body
  (abstract_method_signature
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.method)

; Parameter properties (`constructor(private readonly x: number)`) are fields of the class:
; @owner makes them members of the class, not of the constructor. Plain parameters are not.
(_
  body: (class_body
    (method_definition
      name: (property_identifier) @_constructor
      parameters: (formal_parameters
        [(required_parameter
           [(accessibility_modifier) "readonly"]
           pattern: (identifier) @name)
         (optional_parameter
           [(accessibility_modifier) "readonly"]
           pattern: (identifier) @name)] @definition.field)
      (#eq? @_constructor "constructor")))) @owner

; Class fields holding a function (`onClick = () => {}`) are methods (function in a class)
(public_field_definition
  name: [(property_identifier) @name
         (private_property_identifier) @name
         (string . (string_fragment) @name .)]
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

(public_field_definition
  name: [(property_identifier) @name
         (private_property_identifier) @name
         (string . (string_fragment) @name .)]) @definition.field

; Interface members, and members of an object type aliased directly (`type P = { ... }`)
(interface_body
  (method_signature
    name: [(property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.method)

(interface_body
  (property_signature
    name: [(property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.field)

(type_alias_declaration
  value: (object_type
    (method_signature
      name: [(property_identifier) @name
             (string . (string_fragment) @name .)]) @definition.method))

(type_alias_declaration
  value: (object_type
    (property_signature
      name: [(property_identifier) @name
             (string . (string_fragment) @name .)]) @definition.field))

; Methods of an object literal held by a name that is itself a definition, so they have a
; parent: a top-level `const`/`let`/`var`, a namespace-level `const` or a class field.
; `export const api = { get() {}, put: () => 1 }` -> api.get, api.put. Object literals in
; function bodies (locals, callback arguments) are not definitions.
(program
  [(_
     (variable_declarator
       value: (object
         [(method_definition
            name: [(property_identifier) @name
                   (string . (string_fragment) @name .)]) @definition.method
          (pair
            key: [(property_identifier) @name
                  (string . (string_fragment) @name .)]
            value: [(arrow_function) (function_expression) (generator_function)]) @definition.method])))
   (export_statement
     declaration: (_
       (variable_declarator
         value: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)]) @definition.method
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function) (function_expression) (generator_function)]) @definition.method]))))])

(internal_module
  body: (statement_block
    [(lexical_declaration
       kind: "const"
       (variable_declarator
         value: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)]) @definition.method
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function) (function_expression) (generator_function)]) @definition.method])))
     (export_statement
       declaration: (lexical_declaration
         kind: "const"
         (variable_declarator
           value: (object
             [(method_definition
                name: [(property_identifier) @name
                       (string . (string_fragment) @name .)]) @definition.method
              (pair
                key: [(property_identifier) @name
                      (string . (string_fragment) @name .)]
                value: [(arrow_function) (function_expression) (generator_function)]) @definition.method]))))]))

(public_field_definition
  value: (object
    [(method_definition
       name: [(property_identifier) @name
              (string . (string_fragment) @name .)]) @definition.method
     (pair
       key: [(property_identifier) @name
             (string . (string_fragment) @name .)]
       value: [(arrow_function) (function_expression) (generator_function)]) @definition.method]))

; Functions and classes assigned to a variable. A declaration with a single declarator is
; captured whole (so its doc comment and `export` are found); otherwise the declarator.
([(lexical_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function) (function_expression) (generator_function)])
   .)
  (variable_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function) (function_expression) (generator_function)])
   .)] @definition.function)

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

([(lexical_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: (class))
   .)
  (variable_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: (class))
   .)] @definition.class)

(variable_declarator
  name: (identifier) @name
  value: (class)) @definition.class

; Top-level (and namespace-level) `const X = ...` is a constant; `let`/`var` a variable.
(program
  [(lexical_declaration
     kind: "const"
     .
     (variable_declarator name: (identifier) @name)
     .) @definition.constant
   (export_statement
     declaration: (lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name)
       .) @definition.constant)
   (ambient_declaration
     (lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name)
       .) @definition.constant)])

(internal_module
  body: (statement_block
    [(lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name)
       .) @definition.constant
     (export_statement
       declaration: (lexical_declaration
         kind: "const"
         .
         (variable_declarator name: (identifier) @name)
         .) @definition.constant)]))

(program
  [(lexical_declaration
     kind: "const"
     (variable_declarator name: (identifier) @name) @definition.constant)
   (export_statement
     declaration: (lexical_declaration
       kind: "const"
       (variable_declarator name: (identifier) @name) @definition.constant))])

(program
  [(lexical_declaration
     kind: "let"
     .
     (variable_declarator name: (identifier) @name)
     .) @definition.variable
   (variable_declaration
     .
     (variable_declarator name: (identifier) @name)
     .) @definition.variable
   (export_statement
     declaration: [(lexical_declaration
                     kind: "let"
                     .
                     (variable_declarator name: (identifier) @name)
                     .)
                   (variable_declaration
                     .
                     (variable_declarator name: (identifier) @name)
                     .)] @definition.variable)])

(program
  [(lexical_declaration
     kind: "let"
     (variable_declarator name: (identifier) @name) @definition.variable)
   (variable_declaration
     (variable_declarator name: (identifier) @name) @definition.variable)
   (export_statement
     declaration: [(lexical_declaration
                     kind: "let"
                     (variable_declarator name: (identifier) @name) @definition.variable)
                   (variable_declaration
                     (variable_declarator name: (identifier) @name) @definition.variable)])])

; ---- references

; Decorators: `@sealed`, `@ns.dec`, `@Component({...})` (the call form is a plain call)
(decorator
  [(identifier) @name
   (member_expression object: (_) @context property: (property_identifier) @name)]) @reference.call

; `require("mod")`: the module is an import (`require` itself is a call, below)
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string (string_fragment) @name) .)
  (#eq? @_require "require")) @reference.import

(call_expression
  function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression
    object: (_) @context
    property: [(property_identifier) (private_property_identifier)] @name)) @reference.call

(new_expression
  constructor: [(identifier) @name
                (member_expression object: (_) @context property: (property_identifier) @name)]) @reference.call

; Imports: each imported name (original name, not the alias), default and namespace
; imports, `import x = require("m")`, and the module source.
; @context: the source string of the statement (`"./lib/x"`, quotes included). The
; patterns without it are fallbacks for statements the parser could not complete.
(import_statement
  (import_clause
    [(named_imports (import_specifier name: (identifier) @name))
     (identifier) @name
     (namespace_import (identifier) @name)])
  source: (string) @context) @reference.import

(import_specifier
  name: (identifier) @name) @reference.import

(import_clause
  (identifier) @name) @reference.import

(namespace_import
  (identifier) @name) @reference.import

(import_require_clause
  (identifier) @name
  source: (string) @context) @reference.import

(import_require_clause
  [(identifier) @name
   (string (string_fragment) @name)]) @reference.import

(import_statement
  source: (string (string_fragment) @name)) @reference.import

; Re-exports: `export { a } from "./m"` imports a; `export { a }` refers to a local a.
(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @name))
  source: (string) @context) @reference.import

(export_statement
  source: (string (string_fragment) @name)) @reference.import

(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @name))
  !source) @reference.read

; Inheritance: `extends Base`, `extends ns.Base`, `implements I`, interface `extends`
(extends_clause
  value: [(identifier) @name
          (member_expression object: (_) @context property: (property_identifier) @name)]) @reference.inherit

(implements_clause
  [(type_identifier) @name
   (nested_type_identifier module: (_) @context name: (type_identifier) @name)
   (generic_type name: [(type_identifier) @name
                        (nested_type_identifier module: (_) @context name: (type_identifier) @name)])]) @reference.inherit

(extends_type_clause
  type: [(type_identifier) @name
         (nested_type_identifier module: (_) @context name: (type_identifier) @name)
         (generic_type name: [(type_identifier) @name
                              (nested_type_identifier module: (_) @context name: (type_identifier) @name)])]) @reference.inherit

; Type references: a type_identifier in any type position. Declaration sites (names of
; classes/interfaces/aliases, type parameters `<T>`, `infer U`, mapped `[K in ...]`) are
; left out by listing the positions rather than matching every type_identifier.
([(type_annotation (type_identifier) @name)
  (opting_type_annotation (type_identifier) @name)
  (omitting_type_annotation (type_identifier) @name)
  (adding_type_annotation (type_identifier) @name)
  (generic_type name: (type_identifier) @name)
  (nested_type_identifier module: (_) @context name: (type_identifier) @name)
  (type_arguments (type_identifier) @name)
  (array_type (type_identifier) @name)
  (union_type (type_identifier) @name)
  (intersection_type (type_identifier) @name)
  (tuple_type (type_identifier) @name)
  (parenthesized_type (type_identifier) @name)
  (optional_type (type_identifier) @name)
  (rest_type (type_identifier) @name)
  (readonly_type (type_identifier) @name)
  (index_type_query (type_identifier) @name)
  (lookup_type (type_identifier) @name)
  (conditional_type [left: (type_identifier) @name
                     right: (type_identifier) @name
                     consequence: (type_identifier) @name
                     alternative: (type_identifier) @name])
  (function_type return_type: (type_identifier) @name)
  (constructor_type type: (type_identifier) @name)
  (type_predicate type: (type_identifier) @name)
  (constraint (type_identifier) @name)
  (default_type (type_identifier) @name)
  (type_alias_declaration value: (type_identifier) @name)
  (mapped_type_clause type: (type_identifier) @name)
  (mapped_type_clause alias: (type_identifier) @name)
  (index_signature index_type: (type_identifier) @name)
  (template_type (type_identifier) @name)
  (as_expression (type_identifier) @name)
  (satisfies_expression (type_identifier) @name)] @reference.type)

; Member access that is not called: `a.b` -> b
(member_expression
  object: (_) @context
  property: [(property_identifier) (private_property_identifier)] @name) @reference.read
