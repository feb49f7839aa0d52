; JavaScript tags (.js, .mjs, .cjs, .jsx): classes, functions, generators, methods, fields,
; functions assigned to variables, prototype methods, top-level constants/variables; calls,
; `new`, imports (ES and require), inheritance, JSX element names and member access.
; Earlier patterns win when two capture the same name.
; @context: the source string of an import or re-export (`"./lib/x"`, quotes kept), the
; object of a member access or call (`this.client.send()` -> this.client).

; ---- definitions

; Classes (declarations, `const X = class {}` below, named class expressions)
(class_declaration
  name: (identifier) @name) @definition.class

(class
  name: (identifier) @name) @definition.class

; Functions and generators
(function_declaration
  name: (identifier) @name) @definition.function

(generator_function_declaration
  name: (identifier) @name) @definition.function

; Methods in class bodies (incl. constructor, getters/setters, static and #private). A
; member named by a string (`"~validate"() {}`) is named by the string's text without
; quotes (here and for the fields and object members below); a string with escapes is
; left out.
(class_body
  (method_definition
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]) @definition.method)

; Class fields holding a function (`onClick = () => {}`) are methods (function in a class)
(field_definition
  property: [(property_identifier) @name
             (private_property_identifier) @name
             (string . (string_fragment) @name .)]
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

(field_definition
  property: [(property_identifier) @name
             (private_property_identifier) @name
             (string . (string_fragment) @name .)]) @definition.field

; Methods of an object literal held by a name that is itself a definition, so they have a
; parent: a top-level `const`/`let`/`var` or a class field.
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

(field_definition
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

; Prototype methods: `Foo.prototype.bar = function () {}` -> Foo.bar
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (member_expression
          object: (identifier) @receiver
          property: (property_identifier) @_prototype)
        property: (property_identifier) @name)
      right: [(arrow_function) (function_expression) (generator_function)]) @definition.method)
  (#eq? @_prototype "prototype"))

; Top-level function assignments: `exports.handler = async () => {}`
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        property: (property_identifier) @name)
      right: [(arrow_function) (function_expression) (generator_function)]) @definition.function))

; Top-level `const X = ...` is a constant; `let`/`var` a variable.
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
       .) @definition.constant)])

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
; imports, and the module source.
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

; Inheritance: `extends Base`, `extends ns.Base` (`extends mixin(Base)` is a call)
(class_heritage
  [(identifier) @name
   (member_expression object: (_) @context property: (property_identifier) @name)]) @reference.inherit

; JSX elements: a component used as an element is a call of that component (`<Button />`
; compiles to `createElement(Button)`), so the opening or self-closing tag is a reference of
; kind `call`; the closing tag repeats the name and is a reference of kind `other`.
; Lower-case names are intrinsic elements (`<div>`), not symbols, and are skipped.
([(jsx_opening_element name: (identifier) @name)
  (jsx_self_closing_element name: (identifier) @name)] @reference.call
 (#match? @name "^[A-Z]"))

[(jsx_opening_element name: (member_expression object: (_) @context property: (property_identifier) @name))
 (jsx_self_closing_element name: (member_expression object: (_) @context property: (property_identifier) @name))] @reference.call

((jsx_closing_element name: (identifier) @name) @reference.read
 (#match? @name "^[A-Z]"))

(jsx_closing_element
  name: (member_expression object: (_) @context property: (property_identifier) @name)) @reference.read

; Member access that is not called: `a.b` -> b
(member_expression
  object: (_) @context
  property: [(property_identifier) (private_property_identifier)] @name) @reference.read
