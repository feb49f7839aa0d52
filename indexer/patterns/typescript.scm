; TypeScript tags (.ts, .mts, .cts): classes, interfaces, type aliases, enums, namespaces,
; functions, methods, fields, functions defined by assignment (as in javascript.scm),
; top-level constants/variables; calls, imports, inheritance, type references and member
; access. Earlier patterns win when two capture the same name.
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
; `export default function () {}`, `export default () => ...`, `export default class {}`:
; a definition named `default` (what a default import of the module names)
(export_statement
  "default" @name
  value: [(function_expression !name) (arrow_function) (generator_function !name)]) @definition.function

(export_statement
  "default" @name
  value: (class !name)) @definition.class

(function_declaration
  name: (identifier) @name
  return_type: (type_annotation (_) @type)?) @definition.function

(generator_function_declaration
  name: (identifier) @name
  return_type: (type_annotation (_) @type)?) @definition.function

(function_signature
  name: (identifier) @name
  return_type: (type_annotation (_) @type)?) @definition.function

; Methods in class bodies (incl. constructor, getters/setters, abstract signatures)
(class_body
  (method_definition
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]
    return_type: (type_annotation (_) @type)?) @definition.method)

(class_body
  (method_signature
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]
    return_type: (type_annotation (_) @type)?) @definition.method)

(class_body
  (abstract_method_signature
    name: [(property_identifier) @name
           (private_property_identifier) @name
           (string . (string_fragment) @name .)]
    return_type: (type_annotation (_) @type)?) @definition.method)

; Parameter properties (`constructor(private readonly x: number)`) are fields of the class:
; @owner makes them members of the class, not of the constructor. Plain parameters are not.
(_
  body: (class_body
    (method_definition
      name: (property_identifier) @_constructor
      parameters: (formal_parameters
        [(required_parameter
           [(accessibility_modifier) "readonly"]
           pattern: (identifier) @name
           type: (type_annotation (_) @type)?)
         (optional_parameter
           [(accessibility_modifier) "readonly"]
           pattern: (identifier) @name
           type: (type_annotation (_) @type)?)] @definition.field)
      (#eq? @_constructor "constructor")))) @owner

; Class fields holding a function (`onClick = () => {}`) are methods (function in a class)
(public_field_definition
  name: [(property_identifier) @name
         (private_property_identifier) @name
         (string . (string_fragment) @name .)]
  value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
          (parenthesized_expression [(arrow_function) (function_expression)])
          (as_expression
            [(arrow_function)
             (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.function

(public_field_definition
  name: [(property_identifier) @name
         (private_property_identifier) @name
         (string . (string_fragment) @name .)]
  type: (type_annotation (_) @type)?) @definition.field

; Interface members, and members of an object type aliased directly (`type P = { ... }`)
(interface_body
  (method_signature
    name: [(property_identifier) @name
           (string . (string_fragment) @name .)]
    return_type: (type_annotation (_) @type)?) @definition.method)

(interface_body
  (property_signature
    name: [(property_identifier) @name
           (string . (string_fragment) @name .)]
    type: (type_annotation (_) @type)?) @definition.field)

(type_alias_declaration
  value: (object_type
    (method_signature
      name: [(property_identifier) @name
             (string . (string_fragment) @name .)]
      return_type: (type_annotation (_) @type)?) @definition.method))

(type_alias_declaration
  value: (object_type
    (property_signature
      name: [(property_identifier) @name
             (string . (string_fragment) @name .)]
      type: (type_annotation (_) @type)?) @definition.field))

; Members of the object type a module-level variable is declared with, as for an aliased
; object type: `let container: { get(key: string): T; size: number }` -> container.get,
; container.size (what the checker calls `container.get`).
(program
  [(_ (variable_declarator type: (type_annotation (object_type (method_signature
                    name: [(property_identifier) @name
                           (string . (string_fragment) @name .)]
                    return_type: (type_annotation (_) @type)?) @definition.method))))
   (export_statement
     declaration: (_ (variable_declarator type: (type_annotation (object_type (method_signature
                    name: [(property_identifier) @name
                           (string . (string_fragment) @name .)]
                    return_type: (type_annotation (_) @type)?) @definition.method)))))])

(program
  [(_ (variable_declarator type: (type_annotation (object_type (property_signature
                    name: [(property_identifier) @name
                           (string . (string_fragment) @name .)]
                    type: (type_annotation (_) @type)?) @definition.field))))
   (export_statement
     declaration: (_ (variable_declarator type: (type_annotation (object_type (property_signature
                    name: [(property_identifier) @name
                           (string . (string_fragment) @name .)]
                    type: (type_annotation (_) @type)?) @definition.field)))))])

; Methods of an object literal held by a name that is itself a definition, so they have a
; parent: a top-level `const`/`let`/`var`, a namespace-level `const` or a class field.
; `export const api = { get() {}, put: () => 1 }` -> api.get, api.put. In function bodies,
; only a `const`'s (below); literals passed to calls are not definitions.
(program
  [(_
     (variable_declarator
       value: (object
         [(method_definition
            name: [(property_identifier) @name
                   (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
          (pair
            key: [(property_identifier) @name
                  (string . (string_fragment) @name .)]
            value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
                    (parenthesized_expression [(arrow_function) (function_expression)])
                    (as_expression
                      [(arrow_function)
                       (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.method])))
   (export_statement
     declaration: (_
       (variable_declarator
         value: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
                      (parenthesized_expression [(arrow_function) (function_expression)])
                      (as_expression
                        [(arrow_function)
                         (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.method]))))])

(internal_module
  body: (statement_block
    [(lexical_declaration
       kind: "const"
       (variable_declarator
         value: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
                      (parenthesized_expression [(arrow_function) (function_expression)])
                      (as_expression
                        [(arrow_function)
                         (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.method])))
     (export_statement
       declaration: (lexical_declaration
         kind: "const"
         (variable_declarator
           value: (object
             [(method_definition
                name: [(property_identifier) @name
                       (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
              (pair
                key: [(property_identifier) @name
                      (string . (string_fragment) @name .)]
                value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
                        (parenthesized_expression [(arrow_function) (function_expression)])
                        (as_expression
                          [(arrow_function)
                           (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.method]))))]))

(public_field_definition
  value: (object
    [(method_definition
       name: [(property_identifier) @name
              (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
     (pair
       key: [(property_identifier) @name
             (string . (string_fragment) @name .)]
       value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
               (parenthesized_expression [(arrow_function) (function_expression)])
               (as_expression
                 [(arrow_function)
                  (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.method]))

; Methods of the object literal a function returns (a top-level `return` of a function
; declaration's body; an arrow function held by a variable: its body or its top-level
; `return`), a factory's product: `function expectJSON(x) { return { toDeepEqual() {} } }`
; -> expectJSON.toDeepEqual, the members of what a call of expectJSON gives. Other object
; literals in function bodies are no definitions, but a `const`'s (below). Only these two
; kinds of function: each pattern rooted at a function waits through its whole body
; (methods, generators and function expressions too cost hono's extraction 2 % more
; instructions and changed no site of the TypeScript repositories of
; bench/resolution_eval.py).
(function_declaration
  body: (statement_block
    (return_statement
      (object
          [(method_definition
             name: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
             return_type: (type_annotation (_) @type)?) @definition.method
           (pair
             key: [(property_identifier) @name
                   (string . (string_fragment) @name .)]
             value: [(arrow_function return_type: (type_annotation (_) @type)?)
                     (function_expression return_type: (type_annotation (_) @type)?)]) @definition.method]))))

(variable_declarator
  value: (arrow_function
           body: [(statement_block
                    (return_statement
                      (object
                          [(method_definition
                             name: [(property_identifier) @name
                                    (string . (string_fragment) @name .)]
                             return_type: (type_annotation (_) @type)?) @definition.method
                           (pair
                             key: [(property_identifier) @name
                                   (string . (string_fragment) @name .)]
                             value: [(arrow_function return_type: (type_annotation (_) @type)?)
                                     (function_expression return_type: (type_annotation (_) @type)?)]) @definition.method])))
                  (parenthesized_expression
                    (object
                        [(method_definition
                           name: [(property_identifier) @name
                                  (string . (string_fragment) @name .)]
                           return_type: (type_annotation (_) @type)?) @definition.method
                         (pair
                           key: [(property_identifier) @name
                                 (string . (string_fragment) @name .)]
                           value: [(arrow_function return_type: (type_annotation (_) @type)?)
                                   (function_expression return_type: (type_annotation (_) @type)?)]) @definition.method]))]))

; Functions and classes assigned to a variable. A declaration with a single declarator is
; captured whole (so its doc comment and `export` are found); otherwise the declarator.
([(lexical_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
             (parenthesized_expression [(arrow_function) (function_expression)])
             (as_expression
               [(arrow_function)
                (parenthesized_expression [(arrow_function) (function_expression)])])])
   .)
  (variable_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
             (parenthesized_expression [(arrow_function) (function_expression)])
             (as_expression
               [(arrow_function)
                (parenthesized_expression [(arrow_function) (function_expression)])])])
   .)] @definition.function)

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function return_type: (type_annotation (_) @type)?) (function_expression return_type: (type_annotation (_) @type)?) (generator_function)
          (parenthesized_expression [(arrow_function) (function_expression)])
          (as_expression
            [(arrow_function)
             (parenthesized_expression [(arrow_function) (function_expression)])])]) @definition.function

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

; ---- definitions by assignment, at any depth (in functions, IIFEs and UMD wrappers)
;
; `a.b = function () {}` (an arrow, generator or class too) defines b, qualified by the
; object it is assigned to: `res.send = function send() {}` -> res.send, `a.b.c = ...` ->
; a.b.c, `a["b"] = ...` -> a.b. A definition that is a statement spans the statement, so
; its doc comment is found; each name of a chain of up to three there (`res.set =
; res.header = function header() {}`) is defined with the same span and body (the
; extractor makes them siblings). One inside an expression (`return a.b = ...`, a comma
; sequence) spans its assignment, and only the last name of a chain is found.
; The instance being built is not part of the name: `X.prototype.m` -> X.m (a method),
; `this.m` in the body of `function Ctor` -> Ctor.m, and `inst.m` in a constructor
; callback (`const T = make("T", (inst) => { inst.m = ... })`) -> T.m. Exports are named
; by the exported name alone (`exports.parse`, `module.exports.parse` -> parse): the path
; already names the module, and `require("./x").parse` then finds x's `parse` as
; `import { parse }` finds an ES export. The patterns come in order of precedence:
; prototype, exports, instance, any other object, then objects that are not names.
; A statement's expression is anchored (`(expression_statement . ...)`): it is its first
; child, and the anchor lets tree-sitter drop a state at once when it does not match
; (without it, an IIFE's statement kept every such state alive across the whole file).

; `X.prototype.m = function () {}`, `X.prototype["m"] = ...` -> X.m
([(expression_statement
    .
    [(assignment_expression
       left: [(member_expression
                object: (member_expression
                          object: [(identifier) (member_expression)] @receiver
                          property: (property_identifier) @_prototype)
                property: [(property_identifier) (private_property_identifier)] @name)
              (subscript_expression
                object: (member_expression
                          object: [(identifier) (member_expression)] @receiver
                          property: (property_identifier) @_prototype)
                index: (string . (string_fragment) @name .))]
       right: [(arrow_function) (function_expression) (generator_function)
               (parenthesized_expression [(arrow_function) (function_expression)])
               (as_expression
                 [(arrow_function)
                  (parenthesized_expression [(arrow_function) (function_expression)])])
               (assignment_expression
                 right: [(arrow_function) (function_expression) (generator_function)
                         (assignment_expression
                           right: [(arrow_function) (function_expression) (generator_function)])])])
     (assignment_expression
       right: (assignment_expression
         left: [(member_expression
                  object: (member_expression
                            object: [(identifier) (member_expression)] @receiver
                            property: (property_identifier) @_prototype)
                  property: [(property_identifier) (private_property_identifier)] @name)
                (subscript_expression
                  object: (member_expression
                            object: [(identifier) (member_expression)] @receiver
                            property: (property_identifier) @_prototype)
                  index: (string . (string_fragment) @name .))]
         right: [(arrow_function) (function_expression) (generator_function)
                 (assignment_expression
                   right: [(arrow_function) (function_expression) (generator_function)])]))
     (assignment_expression
       right: (assignment_expression
         right: (assignment_expression
           left: [(member_expression
                    object: (member_expression
                              object: [(identifier) (member_expression)] @receiver
                              property: (property_identifier) @_prototype)
                    property: [(property_identifier) (private_property_identifier)] @name)
                  (subscript_expression
                    object: (member_expression
                              object: [(identifier) (member_expression)] @receiver
                              property: (property_identifier) @_prototype)
                    index: (string . (string_fragment) @name .))]
           right: [(arrow_function) (function_expression) (generator_function)])))])
  (assignment_expression
    left: [(member_expression
             object: (member_expression
                       object: [(identifier) (member_expression)] @receiver
                       property: (property_identifier) @_prototype)
             property: [(property_identifier) (private_property_identifier)] @name)
           (subscript_expression
             object: (member_expression
                       object: [(identifier) (member_expression)] @receiver
                       property: (property_identifier) @_prototype)
             index: (string . (string_fragment) @name .))]
    right: [(arrow_function) (function_expression) (generator_function)
            (parenthesized_expression [(arrow_function) (function_expression)])
            (as_expression
              [(arrow_function)
               (parenthesized_expression [(arrow_function) (function_expression)])])])] @definition.method
 (#eq? @_prototype "prototype"))

; `X.prototype = { m() {}, n: function () {} }` -> X.m, X.n
(assignment_expression
  left: (member_expression
          object: [(identifier) (member_expression)] @receiver
          property: (property_identifier) @_prototype)
  right: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.method
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function) (function_expression) (generator_function)]) @definition.method])
  (#eq? @_prototype "prototype"))

; `Object.defineProperty(X.prototype, "m", { get() {} })` -> X.m, when the descriptor
; holds a function (a getter, a setter or a function value)
(expression_statement
  .
  (call_expression
    function: (member_expression
      object: (identifier) @_object
      property: (property_identifier) @_define)
    arguments: (arguments
      .
      (member_expression
        object: [(identifier) (member_expression)] @receiver
        property: (property_identifier) @_prototype)
      .
      (string . (string_fragment) @name .)
      .
      (object
        [(method_definition)
         (pair value: [(arrow_function) (function_expression) (generator_function)])])))
  (#eq? @_object "Object")
  (#eq? @_define "defineProperty")
  (#eq? @_prototype "prototype")) @definition.method

; `exports.x = ...`, `module.exports.x = ...` -> x
([(expression_statement
    .
    [(assignment_expression
       left: (member_expression
               object: [(identifier) @_exports
                        (member_expression
                          object: (identifier) @_module
                          property: (property_identifier) @_exports)]
               property: (property_identifier) @name)
       right: [(arrow_function) (function_expression) (generator_function)
               (parenthesized_expression [(arrow_function) (function_expression)])
               (as_expression
                 [(arrow_function)
                  (parenthesized_expression [(arrow_function) (function_expression)])])
               (assignment_expression
                 right: [(arrow_function) (function_expression) (generator_function)
                         (assignment_expression
                           right: [(arrow_function) (function_expression) (generator_function)])])])
     (assignment_expression
       right: (assignment_expression
         left: (member_expression
                 object: [(identifier) @_exports
                          (member_expression
                            object: (identifier) @_module
                            property: (property_identifier) @_exports)]
                 property: (property_identifier) @name)
         right: [(arrow_function) (function_expression) (generator_function)
                 (assignment_expression
                   right: [(arrow_function) (function_expression) (generator_function)])]))
     (assignment_expression
       right: (assignment_expression
         right: (assignment_expression
           left: (member_expression
                   object: [(identifier) @_exports
                            (member_expression
                              object: (identifier) @_module
                              property: (property_identifier) @_exports)]
                   property: (property_identifier) @name)
           right: [(arrow_function) (function_expression) (generator_function)])))])
  (assignment_expression
    left: (member_expression
            object: [(identifier) @_exports
                     (member_expression
                       object: (identifier) @_module
                       property: (property_identifier) @_exports)]
            property: (property_identifier) @name)
    right: [(arrow_function) (function_expression) (generator_function)
            (parenthesized_expression [(arrow_function) (function_expression)])
            (as_expression
              [(arrow_function)
               (parenthesized_expression [(arrow_function) (function_expression)])])])] @definition.function
 (#eq? @_exports "exports")
 (#eq? @_module "module"))

([(expression_statement
    .
    (assignment_expression
      left: (member_expression
              object: [(identifier) @_exports
                       (member_expression
                         object: (identifier) @_module
                         property: (property_identifier) @_exports)]
              property: (property_identifier) @name)
      right: (class)))
  (assignment_expression
    left: (member_expression
            object: [(identifier) @_exports
                     (member_expression
                       object: (identifier) @_module
                       property: (property_identifier) @_exports)]
            property: (property_identifier) @name)
    right: (class))] @definition.class
 (#eq? @_exports "exports")
 (#eq? @_module "module"))

; `module.exports = { a, b() {}, c: function () {} }` -> b, c (`a` refers to a definition)
(assignment_expression
  left: (member_expression
    object: (identifier) @_module
    property: (property_identifier) @_exports)
  right: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)] return_type: (type_annotation (_) @type)?) @definition.function
            (pair
              key: [(property_identifier) @name
                    (string . (string_fragment) @name .)]
              value: [(arrow_function) (function_expression) (generator_function)]) @definition.function])
  (#eq? @_module "module")
  (#eq? @_exports "exports"))

; `module.exports = function renderFile() {}` -> renderFile, as for `export default function
; renderFile() {}` (a named class expression is a class definition already)
(expression_statement
  .
  (assignment_expression
    left: (member_expression
      object: (identifier) @_module
      property: (property_identifier) @_exports)
    right: [(function_expression name: (identifier) @name)
            (generator_function name: (identifier) @name)])
  (#eq? @_module "module")
  (#eq? @_exports "exports")) @definition.function

; `this.m = ...` in the body of a function (a constructor function), or in an `if` there
; -> Ctor.m
[(function_declaration
   body: (statement_block
           [(expression_statement
              .
              (assignment_expression
                left: (member_expression
                  object: (this)
                  property: [(property_identifier) (private_property_identifier)] @name)
                right: [(arrow_function) (function_expression) (generator_function)])) @definition.method
            (if_statement
              consequence: (statement_block
                (expression_statement
                  .
                  (assignment_expression
                    left: (member_expression
                      object: (this)
                      property: [(property_identifier) (private_property_identifier)] @name)
                    right: [(arrow_function) (function_expression) (generator_function)])) @definition.method))
            (if_statement
              alternative: (else_clause
                (statement_block
                  (expression_statement
                    .
                    (assignment_expression
                      left: (member_expression
                        object: (this)
                        property: [(property_identifier) (private_property_identifier)] @name)
                      right: [(arrow_function) (function_expression) (generator_function)])) @definition.method)))]))
 (function_expression
   body: (statement_block
           [(expression_statement
              .
              (assignment_expression
                left: (member_expression
                  object: (this)
                  property: [(property_identifier) (private_property_identifier)] @name)
                right: [(arrow_function) (function_expression) (generator_function)])) @definition.method
            (if_statement
              consequence: (statement_block
                (expression_statement
                  .
                  (assignment_expression
                    left: (member_expression
                      object: (this)
                      property: [(property_identifier) (private_property_identifier)] @name)
                    right: [(arrow_function) (function_expression) (generator_function)])) @definition.method))
            (if_statement
              alternative: (else_clause
                (statement_block
                  (expression_statement
                    .
                    (assignment_expression
                      left: (member_expression
                        object: (this)
                        property: [(property_identifier) (private_property_identifier)] @name)
                      right: [(arrow_function) (function_expression) (generator_function)])) @definition.method)))]))]

; `inst.m = ...` (and `inst.internals.m`) in the body of a function passed to a call whose
; result a variable holds, or in an `if` there, `inst` being its first parameter: the
; constructor callback of `const T = make("T", (inst, def) => { inst.m = ... })` -> T.m
; (T.internals.m)
((variable_declarator
   value: (call_expression
     arguments: (arguments
       [(arrow_function
          [parameter: (identifier) @_instance
           parameters: (formal_parameters
             .
             [(required_parameter pattern: (identifier) @_instance)
              (optional_parameter pattern: (identifier) @_instance)])]
          body: (statement_block
                  [(expression_statement
                     .
                     (assignment_expression
                       left: (member_expression
                         object: [(identifier) @_object
                                  (member_expression
                                    object: (identifier) @_object
                                    property: (property_identifier) @receiver)]
                         property: (property_identifier) @name)
                       right: [(arrow_function) (function_expression) (generator_function)
                               (parenthesized_expression [(arrow_function) (function_expression)])
                               (as_expression
                                 [(arrow_function)
                                  (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method
                   (if_statement
                     consequence: (statement_block
                       (expression_statement
                         .
                         (assignment_expression
                           left: (member_expression
                             object: [(identifier) @_object
                                      (member_expression
                                        object: (identifier) @_object
                                        property: (property_identifier) @receiver)]
                             property: (property_identifier) @name)
                           right: [(arrow_function) (function_expression) (generator_function)
                                   (parenthesized_expression [(arrow_function) (function_expression)])
                                   (as_expression
                                     [(arrow_function)
                                      (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method))
                   (if_statement
                     alternative: (else_clause
                       (statement_block
                         (expression_statement
                           .
                           (assignment_expression
                             left: (member_expression
                               object: [(identifier) @_object
                                        (member_expression
                                          object: (identifier) @_object
                                          property: (property_identifier) @receiver)]
                               property: (property_identifier) @name)
                             right: [(arrow_function) (function_expression) (generator_function)
                                     (parenthesized_expression [(arrow_function) (function_expression)])
                                     (as_expression
                                       [(arrow_function)
                                        (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method)))]))
        (function_expression
          parameters: (formal_parameters
            .
            [(required_parameter pattern: (identifier) @_instance)
             (optional_parameter pattern: (identifier) @_instance)])
          body: (statement_block
                  [(expression_statement
                     .
                     (assignment_expression
                       left: (member_expression
                         object: [(identifier) @_object
                                  (member_expression
                                    object: (identifier) @_object
                                    property: (property_identifier) @receiver)]
                         property: (property_identifier) @name)
                       right: [(arrow_function) (function_expression) (generator_function)
                               (parenthesized_expression [(arrow_function) (function_expression)])
                               (as_expression
                                 [(arrow_function)
                                  (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method
                   (if_statement
                     consequence: (statement_block
                       (expression_statement
                         .
                         (assignment_expression
                           left: (member_expression
                             object: [(identifier) @_object
                                      (member_expression
                                        object: (identifier) @_object
                                        property: (property_identifier) @receiver)]
                             property: (property_identifier) @name)
                           right: [(arrow_function) (function_expression) (generator_function)
                                   (parenthesized_expression [(arrow_function) (function_expression)])
                                   (as_expression
                                     [(arrow_function)
                                      (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method))
                   (if_statement
                     alternative: (else_clause
                       (statement_block
                         (expression_statement
                           .
                           (assignment_expression
                             left: (member_expression
                               object: [(identifier) @_object
                                        (member_expression
                                          object: (identifier) @_object
                                          property: (property_identifier) @receiver)]
                               property: (property_identifier) @name)
                             right: [(arrow_function) (function_expression) (generator_function)
                                     (parenthesized_expression [(arrow_function) (function_expression)])
                                     (as_expression
                                       [(arrow_function)
                                        (parenthesized_expression [(arrow_function) (function_expression)])])])) @definition.method)))]))])))
 (#eq? @_instance @_object))

; `a.b = ...`, `a.b.c = ...`, `a["b"] = ...`, `this.a.b = ...` on any other object
([(expression_statement
    .
    [(assignment_expression
       left: [(member_expression
                object: [(identifier) @receiver
                         (member_expression
                           object: [(identifier) (member_expression object: (identifier))]) @receiver
                         (member_expression
                           object: (this)
                           property: (property_identifier) @receiver)]
                property: [(property_identifier) (private_property_identifier)] @name)
              (subscript_expression
                object: [(identifier) (member_expression object: (identifier))] @receiver
                index: (string . (string_fragment) @name .))]
       right: [(arrow_function) (function_expression) (generator_function)
               (parenthesized_expression [(arrow_function) (function_expression)])
               (as_expression
                 [(arrow_function)
                  (parenthesized_expression [(arrow_function) (function_expression)])])
               (assignment_expression
                 right: [(arrow_function) (function_expression) (generator_function)
                         (assignment_expression
                           right: [(arrow_function) (function_expression) (generator_function)])])])
     (assignment_expression
       right: (assignment_expression
         left: [(member_expression
                  object: [(identifier) @receiver
                           (member_expression
                             object: [(identifier) (member_expression object: (identifier))]) @receiver
                           (member_expression
                             object: (this)
                             property: (property_identifier) @receiver)]
                  property: [(property_identifier) (private_property_identifier)] @name)
                (subscript_expression
                  object: [(identifier) (member_expression object: (identifier))] @receiver
                  index: (string . (string_fragment) @name .))]
         right: [(arrow_function) (function_expression) (generator_function)
                 (assignment_expression
                   right: [(arrow_function) (function_expression) (generator_function)])]))
     (assignment_expression
       right: (assignment_expression
         right: (assignment_expression
           left: [(member_expression
                    object: [(identifier) @receiver
                             (member_expression
                               object: [(identifier) (member_expression object: (identifier))]) @receiver
                             (member_expression
                               object: (this)
                               property: (property_identifier) @receiver)]
                    property: [(property_identifier) (private_property_identifier)] @name)
                  (subscript_expression
                    object: [(identifier) (member_expression object: (identifier))] @receiver
                    index: (string . (string_fragment) @name .))]
           right: [(arrow_function) (function_expression) (generator_function)])))])
  (assignment_expression
    left: [(member_expression
             object: [(identifier) @receiver
                      (member_expression
                        object: [(identifier) (member_expression object: (identifier))]) @receiver
                      (member_expression
                        object: (this)
                        property: (property_identifier) @receiver)]
             property: [(property_identifier) (private_property_identifier)] @name)
           (subscript_expression
             object: [(identifier) (member_expression object: (identifier))] @receiver
             index: (string . (string_fragment) @name .))]
    right: [(arrow_function) (function_expression) (generator_function)
            (parenthesized_expression [(arrow_function) (function_expression)])
            (as_expression
              [(arrow_function)
               (parenthesized_expression [(arrow_function) (function_expression)])])])] @definition.function
 (#not-eq? @receiver "module"))

([(expression_statement
    .
    (assignment_expression
      left: [(member_expression
               object: [(identifier) @receiver
                        (member_expression
                          object: [(identifier) (member_expression object: (identifier))]) @receiver
                        (member_expression
                          object: (this)
                          property: (property_identifier) @receiver)]
               property: [(property_identifier) (private_property_identifier)] @name)
             (subscript_expression
               object: [(identifier) (member_expression object: (identifier))] @receiver
               index: (string . (string_fragment) @name .))]
      right: (class)))
  (assignment_expression
    left: [(member_expression
             object: [(identifier) @receiver
                      (member_expression
                        object: [(identifier) (member_expression object: (identifier))]) @receiver
                      (member_expression
                        object: (this)
                        property: (property_identifier) @receiver)]
             property: [(property_identifier) (private_property_identifier)] @name)
           (subscript_expression
             object: [(identifier) (member_expression object: (identifier))] @receiver
             index: (string . (string_fragment) @name .))]
    right: (class))] @definition.class
 (#not-eq? @receiver "module"))

; Any other object (`jasmine.getGlobal().setTimeout = ...`, `(ctx as Ctx).addIssue = ...`):
; the property alone names it. Not `this.m` outside a constructor function's body (a class
; method's `this.handler = ...` assigns a field), nor `module.exports` itself.
([(expression_statement
    .
    (assignment_expression
      left: (member_expression
        object: (_) @_object
        property: [(property_identifier) (private_property_identifier)] @name)
      right: [(arrow_function) (function_expression) (generator_function)
              (parenthesized_expression [(arrow_function) (function_expression)])
              (as_expression
                [(arrow_function)
                 (parenthesized_expression [(arrow_function) (function_expression)])])]))
  (assignment_expression
    left: (member_expression
      object: (_) @_object
      property: [(property_identifier) (private_property_identifier)] @name)
    right: [(arrow_function) (function_expression) (generator_function)
            (parenthesized_expression [(arrow_function) (function_expression)])
            (as_expression
              [(arrow_function)
               (parenthesized_expression [(arrow_function) (function_expression)])])])] @definition.function
 (#not-match? @_object "^(this|module)$"))


; Top-level (and namespace-level) `const X = ...` is a constant; `let`/`var` a variable.
(program
  [(lexical_declaration
     kind: "const"
     .
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
     .) @definition.constant
   (export_statement
     declaration: (lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
       .) @definition.constant)
   (ambient_declaration
     (lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
       .) @definition.constant)])

(internal_module
  body: (statement_block
    [(lexical_declaration
       kind: "const"
       .
       (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
       .) @definition.constant
     (export_statement
       declaration: (lexical_declaration
         kind: "const"
         .
         (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
         .) @definition.constant)]))

(program
  [(lexical_declaration
     kind: "const"
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.constant)
   (export_statement
     declaration: (lexical_declaration
       kind: "const"
       (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.constant))])

(program
  [(lexical_declaration
     kind: "let"
     .
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
     .) @definition.variable
   (variable_declaration
     .
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
     .) @definition.variable
   (export_statement
     declaration: [(lexical_declaration
                     kind: "let"
                     .
                     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
                     .)
                   (variable_declaration
                     .
                     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?)
                     .)] @definition.variable)])

(program
  [(lexical_declaration
     kind: "let"
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.variable)
   (variable_declaration
     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.variable)
   (export_statement
     declaration: [(lexical_declaration
                     kind: "let"
                     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.variable)
                   (variable_declaration
                     (variable_declarator name: (identifier) @name type: (type_annotation (_) @type)?) @definition.variable)])])

; A `const` of a function body holding an object literal with methods, and its methods:
; `const proto = { action() {} }` -> proto, proto.action, as at module level (the checker's
; `proto.action`). A `let` (it may be given another object), a declaration of several names
; and the literals passed to calls are no definitions. After the module-level constants: a
; module-level `const` is theirs (rooted at the declaration, not at a block, these cost
; less to match).
(lexical_declaration
  kind: "const"
  .
  (variable_declarator
    name: (identifier) @name
    value: (object
             [(method_definition)
              (pair value: [(arrow_function) (function_expression) (generator_function)])]))
  .) @definition.constant

(lexical_declaration
  kind: "const"
  .
  (variable_declarator
    value: (object
      [(method_definition
          name: [(property_identifier) @name
                 (string . (string_fragment) @name .)]
          return_type: (type_annotation (_) @type)?) @definition.method
        (pair
          key: [(property_identifier) @name
                (string . (string_fragment) @name .)]
          value: [(arrow_function return_type: (type_annotation (_) @type)?)
                  (function_expression return_type: (type_annotation (_) @type)?)
                  (generator_function)]) @definition.method]))
  .)

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py)

; A function without a name of its own (a callback, an IIFE) is a scope: its parameters
; and locals are its own, not those of the definition around it. So is a function type
; (`cb: (stream: Api) => void`): its parameters name nothing in the function's body.
[(arrow_function) (function_expression) (generator_function) (function_type)
 (constructor_type)] @name @binding.scope

; what a function without a declared result gives: its first top-level `return`, or an
; arrow function's expression body
(function_declaration
  name: (identifier) @name
  body: (statement_block (return_statement (_) @value))) @binding.return
(method_definition
  name: [(property_identifier) (private_property_identifier)] @name
  body: (statement_block (return_statement (_) @value))) @binding.return
([(variable_declarator name: (identifier) @name value: (arrow_function body: (statement_block (return_statement (_) @value))))
  (variable_declarator name: (identifier) @name value: (function_expression body: (statement_block (return_statement (_) @value))))
  (variable_declarator name: (identifier) @name value: (arrow_function body: [(call_expression) (new_expression) (member_expression) (identifier) (as_expression) (parenthesized_expression)] @value))
  (public_field_definition name: (property_identifier) @name value: (arrow_function body: (statement_block (return_statement (_) @value))))
  (public_field_definition name: (property_identifier) @name value: (arrow_function body: [(call_expression) (new_expression) (member_expression) (identifier) (as_expression) (parenthesized_expression)] @value))] @binding.return)

; what calling a value of an interface gives: the declared result of each of its call
; signatures (`interface BoxFactory { <T>(value: T): Box<T> }`; @name is the signature,
; in the interface's scope)
(interface_body
  (call_signature return_type: (type_annotation (_) @type)) @name @binding.return)

; type parameters: `<T extends Base>` binds T (its constraint is its evidence)
(type_parameter name: (type_identifier) @name constraint: (constraint (_) @type)?) @binding.typeparam

; `items.forEach((x) => ...)`, `items.map(x => ...)`: an untyped x is an element of what
; `items` is
(call_expression
  function: (member_expression object: (_) @value property: (property_identifier) @_method)
  arguments: (arguments
    . [(arrow_function parameter: (identifier) @name)
       (arrow_function
         parameters: (formal_parameters . (required_parameter pattern: (identifier) @name !type)))
       (function_expression
         parameters: (formal_parameters . (required_parameter pattern: (identifier) @name !type)))])
  (#match? @_method "^(forEach|map|filter|find|findLast|findIndex|some|every|flatMap)$")) @binding.element
(required_parameter pattern: (identifier) @name type: (type_annotation (_) @type)?) @binding.param
(optional_parameter pattern: (identifier) @name type: (type_annotation (_) @type)?) @binding.param
(arrow_function parameter: (identifier) @name) @binding.param
(function_expression name: (identifier) @name) @binding.local
(catch_clause parameter: (identifier) @name) @binding.local
; `for (const x of items)`: x is an element of what `items` is
(for_in_statement left: (identifier) @name operator: "of" right: (_) @value) @binding.element
(for_in_statement left: (identifier) @name) @binding.local

; `const m = require("./m")`, `const m = await import("./m")`: m holds the module;
; `const { a, b: c } = require("./m")` imports a and b (as c) from it
(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @value .))
  (#eq? @_require "require")) @binding.module
(variable_declarator
  name: (identifier) @name
  value: (await_expression
    (call_expression
      function: (import)
      arguments: (arguments . (string) @value .)))) @binding.module
(variable_declarator
  name: (object_pattern
    [(shorthand_property_identifier_pattern) @name @value
     (pair_pattern key: (property_identifier) @value value: (identifier) @name)])
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @context .))
  (#eq? @_require "require")) @binding.import

; class fields: `box = new Box()`, `kept = other` (a declared type is the field's own)
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name
  type: (type_annotation (_) @type)?
  value: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)]) @binding.call
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name
  type: (type_annotation (_) @type)?
  value: [(identifier) (member_expression)] @value) @binding.alias

; destructuring: `const {a, b: c, ...d} = e`, `([x, y = 1]) => ...`
(object_pattern (shorthand_property_identifier_pattern) @name) @binding.local
(object_assignment_pattern left: (shorthand_property_identifier_pattern) @name) @binding.local
(pair_pattern value: (identifier) @name) @binding.local
(array_pattern (identifier) @name) @binding.local
(assignment_pattern left: (identifier) @name) @binding.local
(rest_pattern (identifier) @name) @binding.local

; `const x: T = ...`, `x = new Cls()`, `x = make()`, `x = await make()`, `x = a.b.c()`,
; `x = other`, `x = await other`, `x = y as T`; `this.x = new Cls()` / `this.x = param` (in a constructor)
(variable_declarator
  name: (identifier) @name
  type: (type_annotation (_) @type)?
  value: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)
          (await_expression (call_expression function: (_) @value))
          (non_null_expression (call_expression function: (_) @value))]) @binding.call
(variable_declarator
  name: (identifier) @name
  type: (type_annotation (_) @type)?
  value: [(identifier) (member_expression) (await_expression [(identifier) (member_expression)])] @value) @binding.alias
(variable_declarator
  name: (identifier) @name
  value: [(as_expression (_) (_) @type .)
          (satisfies_expression (_) (_) @type .)]) @binding.local
(variable_declarator
  name: (identifier) @name
  type: (type_annotation (_) @type)?) @binding.local
(assignment_expression
  left: (member_expression object: (this) @context property: (property_identifier) @name)
  right: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)
          (await_expression (call_expression function: (_) @value))]) @binding.call
(assignment_expression
  left: (member_expression object: (this) @context property: (property_identifier) @name)
  right: [(identifier) (member_expression)] @value) @binding.alias
(assignment_expression
  left: (member_expression object: (this) @context property: (property_identifier) @name)
  right: [(as_expression (_) (_) @type .)
          (satisfies_expression (_) (_) @type .)]) @binding.local
; `if (x instanceof Cls)` narrows x to Cls in the block
(if_statement
  condition: (parenthesized_expression
    (binary_expression
      left: (identifier) @name
      operator: "instanceof"
      right: [(identifier) (member_expression)] @type))) @binding.narrow
; `if (isCls(x))`, `if (isCls(x) && ...)` narrow x as the guard's type predicate says
; (`function isCls(v: unknown): v is Cls`): @value is the guard, which the resolver reads
(if_statement
  condition: (parenthesized_expression
    [(call_expression
       function: [(identifier) (member_expression)] @value
       arguments: (arguments . (identifier) @name .))
     (binary_expression
       left: (call_expression
               function: [(identifier) (member_expression)] @value
               arguments: (arguments . (identifier) @name .))
       operator: "&&")])) @binding.narrow
; The if statement of a narrowing test is a scope of its own: what the test tells of x
; is in force in it only (and so is a `const` of its blocks, as JavaScript has it)
(if_statement
  condition: (parenthesized_expression
    [(binary_expression left: (identifier) operator: "instanceof")
     (call_expression arguments: (arguments . (identifier) .))
     (binary_expression
       left: (call_expression arguments: (arguments . (identifier) .))
       operator: "&&")])) @name @binding.scope

; `export default foo`, `export default function foo() {}`: the module's default is foo
(export_statement
  "default" @name
  value: (identifier) @value) @binding.export
(export_statement
  "default" @name
  declaration: [(function_declaration name: (identifier) @value)
                (generator_function_declaration name: (identifier) @value)
                (class_declaration name: (_) @value)]) @binding.export
; `import m from "m"` binds m to the module's default export; `import * as m from "m"`
; and `export * as m from "m"` bind m to the module itself
(import_statement
  (import_clause . (identifier) @name @value)
  source: (string) @context) @binding.default
(import_statement
  (import_clause (namespace_import (identifier) @name @value))
  source: (string) @context) @binding.namespace
(export_statement
  (namespace_export (identifier) @name @value)
  source: (string) @context) @binding.namespace
; `import { a as b } from "m"` binds b to a of m; `export { a as b }` (`from "m"`)
; exports a under the name b (@context: the module, quotes kept)
(import_statement
  (import_clause (named_imports (import_specifier name: (identifier) @value alias: (identifier) @name)))
  source: (string) @context) @binding.import
(export_statement
  (export_clause (export_specifier name: (identifier) @value alias: (identifier) @name))
  source: (string) @context) @binding.export
(export_statement
  (export_clause (export_specifier name: (identifier) @value alias: (identifier) @name))
  !source) @binding.export

; ---- references: every use of a name, with its role

; names that use nothing: import and export aliases, type parameters and the names
; types declare (`infer U`, mapped `[K in ...]`), the parts of a namespace's name,
; intrinsic JSX elements
(import_specifier alias: (identifier) @name @reference.skip)
(export_specifier alias: (identifier) @name @reference.skip)
(type_parameter name: (type_identifier) @name @reference.skip)
(infer_type (type_identifier) @name @reference.skip)
(mapped_type_clause name: (type_identifier) @name @reference.skip)
([(internal_module name: (nested_identifier object: (identifier) @name @reference.skip))
  (internal_module name: (nested_identifier object: (member_expression object: (identifier) @name @reference.skip)))
  (internal_module name: (nested_identifier object: (member_expression property: (property_identifier) @name @reference.skip)))
  (module name: (nested_identifier object: (identifier) @name @reference.skip))])

; Decorators: `@sealed`, `@ns.dec`, `@Component({...})`
(decorator
  [(identifier) @name
   (member_expression object: (_) @context property: (property_identifier) @name)
   (call_expression
     function: [(identifier) @name
                (member_expression object: (_) @context property: (property_identifier) @name)])]) @reference.decorator

; `require("mod")`: the module is an import (`require` itself is a call, below)
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string (string_fragment) @name) .)
  (#eq? @_require "require")) @reference.import

; @arguments: a call's argument list (its arity ranks a guess's candidates); a tagged
; template (`html\`...\``) is a call without one.
(call_expression
  function: (identifier) @name
  arguments: [(arguments) @arguments (template_string)]) @reference.call

(call_expression
  function: (member_expression
    object: (_) @context
    property: [(property_identifier) (private_property_identifier)] @name)
  arguments: [(arguments) @arguments (template_string)]) @reference.call

(new_expression
  constructor: [(identifier) @name
                (member_expression object: (_) @context property: (property_identifier) @name)]
  arguments: (arguments)? @arguments) @reference.call

; Imports: each imported name (original name, not the alias), default and namespace
; imports, `import x = require("m")`, and the module source.
; @context: the source string of the statement (`"./lib/x"`, quotes included); `export *
; from "./m"` imports every name of the module (its name is `*`). What a default or
; namespace import binds is told by the bindings above. The patterns without
; it are fallbacks for statements the parser could not complete.
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

; Re-exports: `export { a } from "./m"` imports a; `export { a }` refers to a local a;
; `export * from "./m"` and `export * as ns from "./m"`.
(export_statement
  (export_clause
    (export_specifier
      name: (identifier) @name))
  source: (string) @context) @reference.import

(export_statement
  "*" @name
  source: (string) @context) @reference.import

(export_statement
  (namespace_export (identifier) @name)
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

; Types: every other type name, in any type position (annotations, generic arguments,
; aliases, `as`, `satisfies`, `keyof`, conditional types ...); `ns.T` -> T in ns.
(nested_type_identifier module: (_) @context name: (type_identifier) @name) @reference.type

(type_identifier) @name @reference.type

; Writes: `a.b = ...`, `a.b += ...`, `x = ...` (a name bound in the function is dropped)
(assignment_expression
  left: (member_expression
    object: (_) @context
    property: [(property_identifier) (private_property_identifier)] @name)) @reference.write

(augmented_assignment_expression
  left: (member_expression
    object: (_) @context
    property: [(property_identifier) (private_property_identifier)] @name)) @reference.write

(assignment_expression left: (identifier) @name) @reference.write
(augmented_assignment_expression left: (identifier) @name) @reference.write

; Member access that is not called: `a.b` -> b
(member_expression
  object: (_) @context
  property: [(property_identifier) (private_property_identifier)] @name) @reference.read

; Any other use of a name: an argument, a value, an element, `{x}`, `instanceof X`,
; a default value, `typeof x`, `export default x` ...
(shorthand_property_identifier) @name @reference.read

(identifier) @name @reference.read
