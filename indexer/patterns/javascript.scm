; JavaScript tags (.js, .mjs, .cjs, .jsx): classes, functions, generators, methods, fields,
; functions assigned to variables, functions defined by assignment (`a.b = function`,
; prototypes, CommonJS exports, constructor functions), top-level constants/variables;
; calls, `new`, imports (ES and require), inheritance, JSX element names and member access.
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
; `export default function () {}`, `export default () => ...`, `export default class {}`:
; a definition named `default` (what a default import of the module names)
(export_statement
  "default" @name
  value: [(function_expression !name) (arrow_function) (generator_function !name)]) @definition.function

(export_statement
  "default" @name
  value: (class !name)) @definition.class

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
  value: [(arrow_function) (function_expression) (generator_function)
          (parenthesized_expression [(arrow_function) (function_expression)])]) @definition.function

(field_definition
  property: [(property_identifier) @name
             (private_property_identifier) @name
             (string . (string_fragment) @name .)]) @definition.field

; Methods of an object literal held by a name that is itself a definition, so they have a
; parent: a top-level `const`/`let`/`var` or a class field.
; `export const api = { get() {}, put: () => 1 }` -> api.get, api.put. In function bodies,
; only a `const`'s (below); literals passed to calls are not definitions.
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
            value: [(arrow_function) (function_expression) (generator_function)
                    (parenthesized_expression [(arrow_function) (function_expression)])]) @definition.method])))
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
              value: [(arrow_function) (function_expression) (generator_function)
                      (parenthesized_expression [(arrow_function) (function_expression)])]) @definition.method]))))])

(field_definition
  value: (object
    [(method_definition
       name: [(property_identifier) @name
              (string . (string_fragment) @name .)]) @definition.method
     (pair
       key: [(property_identifier) @name
             (string . (string_fragment) @name .)]
       value: [(arrow_function) (function_expression) (generator_function)
               (parenthesized_expression [(arrow_function) (function_expression)])]) @definition.method]))

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
                    (string . (string_fragment) @name .)]) @definition.method
           (pair
             key: [(property_identifier) @name
                   (string . (string_fragment) @name .)]
             value: [(arrow_function)
                     (function_expression)]) @definition.method]))))

(variable_declarator
  value: (arrow_function
           body: [(statement_block
                    (return_statement
                      (object
                          [(method_definition
                             name: [(property_identifier) @name
                                    (string . (string_fragment) @name .)]) @definition.method
                           (pair
                             key: [(property_identifier) @name
                                   (string . (string_fragment) @name .)]
                             value: [(arrow_function)
                                     (function_expression)]) @definition.method])))
                  (parenthesized_expression
                    (object
                        [(method_definition
                           name: [(property_identifier) @name
                                  (string . (string_fragment) @name .)]) @definition.method
                         (pair
                           key: [(property_identifier) @name
                                 (string . (string_fragment) @name .)]
                           value: [(arrow_function)
                                   (function_expression)]) @definition.method]))]))

; Functions and classes assigned to a variable. A declaration with a single declarator is
; captured whole (so its doc comment and `export` are found); otherwise the declarator.
([(lexical_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function) (function_expression) (generator_function)
             (parenthesized_expression [(arrow_function) (function_expression)])])
   .)
  (variable_declaration
   .
   (variable_declarator
     name: (identifier) @name
     value: [(arrow_function) (function_expression) (generator_function)
             (parenthesized_expression [(arrow_function) (function_expression)])])
   .)] @definition.function)

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)
          (parenthesized_expression [(arrow_function) (function_expression)])]) @definition.function

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
            (parenthesized_expression [(arrow_function) (function_expression)])])] @definition.method
 (#eq? @_prototype "prototype"))

; `X.prototype = { m() {}, n: function () {} }` -> X.m, X.n
(assignment_expression
  left: (member_expression
          object: [(identifier) (member_expression)] @receiver
          property: (property_identifier) @_prototype)
  right: (object
           [(method_definition
              name: [(property_identifier) @name
                     (string . (string_fragment) @name .)]) @definition.method
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
            (parenthesized_expression [(arrow_function) (function_expression)])])] @definition.function
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
                     (string . (string_fragment) @name .)]) @definition.function
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
           parameters: (formal_parameters . (identifier) @_instance)]
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
                               (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method
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
                                   (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method))
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
                                     (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method)))]))
        (function_expression
          parameters: (formal_parameters . (identifier) @_instance)
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
                               (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method
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
                                   (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method))
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
                                     (parenthesized_expression [(arrow_function) (function_expression)])])) @definition.method)))]))])))
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
            (parenthesized_expression [(arrow_function) (function_expression)])])] @definition.function
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
              (parenthesized_expression [(arrow_function) (function_expression)])]))
  (assignment_expression
    left: (member_expression
      object: (_) @_object
      property: [(property_identifier) (private_property_identifier)] @name)
    right: [(arrow_function) (function_expression) (generator_function)
            (parenthesized_expression [(arrow_function) (function_expression)])])] @definition.function
 (#not-match? @_object "^(this|module)$"))


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

; A `const` of a function body holding an object literal with methods, and its methods:
; `const proto = { action() {} }` -> proto, proto.action, as at module level. A `let` (it
; may be given another object), a declaration of several names and the literals passed to
; calls are no definitions. After the module-level constants: a module-level `const` is
; theirs (rooted at the declaration, not at a block, these cost less to match).
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
                 (string . (string_fragment) @name .)]) @definition.method
        (pair
          key: [(property_identifier) @name
                (string . (string_fragment) @name .)]
          value: [(arrow_function) (function_expression) (generator_function)]) @definition.method]))
  .)

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py)

; A function without a name of its own (a callback, an IIFE) is a scope: its parameters
; and locals are its own, not those of the definition around it.
[(arrow_function) (function_expression) (generator_function)] @name @binding.scope

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
  (variable_declarator name: (identifier) @name value: (arrow_function body: [(call_expression) (new_expression) (member_expression) (identifier) (parenthesized_expression)] @value))
  (field_definition property: (property_identifier) @name value: (arrow_function body: (statement_block (return_statement (_) @value))))
  (field_definition property: (property_identifier) @name value: (arrow_function body: [(call_expression) (new_expression) (member_expression) (identifier) (parenthesized_expression)] @value))] @binding.return)

(formal_parameters (identifier) @name) @binding.param
(arrow_function parameter: (identifier) @name) @binding.param
(function_expression name: (identifier) @name) @binding.local
(catch_clause parameter: (identifier) @name) @binding.local
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
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name
  value: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)]) @binding.call
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name
  value: [(identifier) (member_expression)] @value) @binding.alias

; destructuring: `const {a, b: c, ...d} = e`, `([x, y = 1]) => ...`, defaults `(a = 1)`
(object_pattern (shorthand_property_identifier_pattern) @name) @binding.local
(object_assignment_pattern left: (shorthand_property_identifier_pattern) @name) @binding.local
(pair_pattern value: (identifier) @name) @binding.local
(array_pattern (identifier) @name) @binding.local
(assignment_pattern left: (identifier) @name) @binding.local
(rest_pattern (identifier) @name) @binding.local

; `x = new Cls()`, `x = make()`, `x = await make()`, `x = a.b.c()`, `x = other`;
; `this.x = new Cls()` / `this.x = param` (in a constructor)
(variable_declarator
  name: (identifier) @name
  value: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)
          (await_expression (call_expression function: (_) @value))]) @binding.call
(variable_declarator
  name: (identifier) @name
  value: [(identifier) (member_expression) (await_expression [(identifier) (member_expression)])] @value) @binding.alias
(variable_declarator
  name: (identifier) @name) @binding.local
(assignment_expression
  left: (member_expression object: (this) @context property: (property_identifier) @name)
  right: [(call_expression function: (_) @value)
          (new_expression constructor: (_) @value)
          (await_expression (call_expression function: (_) @value))]) @binding.call
(assignment_expression
  left: (member_expression object: (this) @context property: (property_identifier) @name)
  right: [(identifier) (member_expression)] @value) @binding.alias
; `if (x instanceof Cls)` narrows x to Cls in the block
(if_statement
  condition: (parenthesized_expression
    (binary_expression
      left: (identifier) @name
      operator: "instanceof"
      right: [(identifier) (member_expression)] @type))) @binding.narrow
; The if statement of a narrowing test is a scope of its own: what the test tells of x
; is in force in it only (and so is a `const` of its blocks, as JavaScript has it)
(if_statement
  condition: (parenthesized_expression
    (binary_expression left: (identifier) operator: "instanceof"))) @name @binding.scope

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

; names that use nothing: import and export aliases, intrinsic JSX elements (`<div>`)
(import_specifier alias: (identifier) @name @reference.skip)
(export_specifier alias: (identifier) @name @reference.skip)
([(jsx_opening_element name: (identifier) @name @reference.skip)
  (jsx_self_closing_element name: (identifier) @name @reference.skip)
  (jsx_closing_element name: (identifier) @name @reference.skip)]
 (#match? @name "^[a-z]"))
(jsx_namespace_name (identifier) @name @reference.skip)

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
; imports, and the module source.
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

; Inheritance: `extends Base`, `extends ns.Base` (`extends mixin(Base)` is a call)
(class_heritage
  [(identifier) @name
   (member_expression object: (_) @context property: (property_identifier) @name)]) @reference.inherit

; JSX elements: a component used as an element is a call of that component (`<Button />`
; compiles to `createElement(Button)`), so the opening or self-closing tag is a reference of
; kind `call`; the closing tag repeats the name and is a read.
[(jsx_opening_element name: (identifier) @name)
 (jsx_self_closing_element name: (identifier) @name)] @reference.call

[(jsx_opening_element name: (member_expression object: (_) @context property: (property_identifier) @name))
 (jsx_self_closing_element name: (member_expression object: (_) @context property: (property_identifier) @name))] @reference.call

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

; Member access that is not called: `a.b` -> b (also a closing JSX tag `</a.B>`)
(member_expression
  object: (_) @context
  property: [(property_identifier) (private_property_identifier)] @name) @reference.read

; Any other use of a name: an argument, a value, an element, `{x}`, `instanceof X`,
; a default value, `typeof x`, `export default x`, a closing JSX tag ...
(shorthand_property_identifier) @name @reference.read

(identifier) @name @reference.read
