; Dart tags: library names, classes, mixins (traits), enums (and values), extension types, extensions (a scope named after the extended type: `extension X on String { bool get isBlank }` -> String.isBlank), type aliases, functions, methods, getters, setters, operators, constructors (`Dio` and named `Dio.named` -> Dio.named), fields, top-level variables and constants; calls, constructor calls, cascades, imports, exports, types, annotations, extends/with/implements/on, member access, assignments. Earlier patterns win.
; A method's signature and its body are siblings in this grammar: a definition is captured on both, so it spans both (see indexer/parse.py).
; @context: the object of a call or member access when it is a plain name (`dio.get()` -> dio; in a longer chain `a.b.c()` the grammar keeps the parts flat, and c has none), the URI of an import (`import 'package:http/http.dart' show Client` -> the quoted URI).

; ---- definitions
(library_name
  (dotted_identifier_list) @name) @definition.module

(class_definition
  name: (identifier) @name) @definition.class

(mixin_declaration
  (identifier) @name) @definition.trait

(enum_declaration
  name: (identifier) @name) @definition.enum

(enum_constant
  name: (identifier) @name) @definition.constant

(extension_type_declaration
  name: (identifier) @name) @definition.class

(extension_type_declaration
  representation: (representation_declaration
    name: (identifier) @name) @definition.field)

; `extension StringX on String { ... }` names its members String.member
(extension_declaration
  class: [(type_identifier) @name
          (qualified (type_identifier) @name .)]) @scope

; `typedef F = void Function(int);`, `typedef void F(int x);`
(type_alias
  (type_identifier) @name
  .
  (type_parameters)?
  .
  "=") @definition.type

(type_alias
  (type_identifier) @name
  .
  (formal_parameter_list)) @definition.type

; Members with a body: `method_signature` and the `function_body` beside it.
; Constructors are named as they are called: `Dio(...)` -> Dio.Dio, `Dio.named(...)` ->
; Dio.named; operators `operator +`, `operator ==`, `operator []`.
((method_signature
  [(function_signature name: (identifier) @name)
   (getter_signature name: (identifier) @name)
   (setter_signature name: (identifier) @name)
   (operator_signature "operator" @name [(binary_operator) "[]" "[]=" "~" "=="] @name)
   (constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (constructor_signature . (identifier) @name . (formal_parameter_list))
   (factory_constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (factory_constructor_signature . (identifier) @name . (formal_parameter_list))
   (constant_constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (constant_constructor_signature . (identifier) @name . (formal_parameter_list))]) @definition.method
  .
  (function_body) @definition.method)

; Members without a body: abstract and external members, constructors ending in `;`,
; redirecting factories
(declaration
  [(function_signature name: (identifier) @name)
   (getter_signature name: (identifier) @name)
   (setter_signature name: (identifier) @name)
   (operator_signature "operator" @name [(binary_operator) "[]" "[]=" "~" "=="] @name)
   (constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (constructor_signature . (identifier) @name . (formal_parameter_list))
   (constant_constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (constant_constructor_signature . (identifier) @name . (formal_parameter_list))
   (redirecting_factory_constructor_signature (identifier) . (identifier) @name . (formal_parameter_list))
   (redirecting_factory_constructor_signature . (identifier) @name . (formal_parameter_list))]) @definition.method

; Top-level functions, getters and setters
(program
  (function_signature
    name: (identifier) @name) @definition.function
  .
  (function_body) @definition.function)

(program
  [(getter_signature name: (identifier) @name)
   (setter_signature name: (identifier) @name)] @definition.function
  .
  (function_body) @definition.function)

; Local functions: `void log(String m) => print(m);` inside a body
(local_function_declaration
  (lambda_expression
    parameters: (function_signature
      name: (identifier) @name))) @definition.function

; Fields: `static const` ones are constants. `int a = 0, b;` defines each name: one is
; the whole declaration, several are each their declarator.
(declaration
  (const_builtin)
  (static_final_declaration_list
    (static_final_declaration
      .
      (identifier) @name) @definition.constant
    .
    (static_final_declaration)))

(declaration
  (const_builtin)
  (static_final_declaration_list
    (static_final_declaration)
    .
    (static_final_declaration
      .
      (identifier) @name) @definition.constant))

(declaration
  (const_builtin)
  (static_final_declaration_list
    (static_final_declaration
      .
      (identifier) @name))) @definition.constant

(declaration
  [(static_final_declaration_list
     (static_final_declaration . (identifier) @name) @definition.field
     .
     (static_final_declaration))
   (initialized_identifier_list
     (initialized_identifier . (identifier) @name) @definition.field
     .
     (initialized_identifier))])

(declaration
  [(static_final_declaration_list
     (static_final_declaration)
     .
     (static_final_declaration . (identifier) @name) @definition.field)
   (initialized_identifier_list
     (initialized_identifier)
     .
     (initialized_identifier . (identifier) @name) @definition.field)])

(declaration
  [(static_final_declaration_list
     (static_final_declaration . (identifier) @name))
   (initialized_identifier_list
     (initialized_identifier . (identifier) @name))]) @definition.field

; Top-level variables: the grammar keeps their modifiers and types beside them, so the
; declarator is the definition; `const` ones (modifier next to the list, or one type
; between) are constants.
(program
  (const_builtin)
  .
  (static_final_declaration_list
    (static_final_declaration
      .
      (identifier) @name) @definition.constant))

(program
  (const_builtin)
  .
  (type_identifier)
  .
  (static_final_declaration_list
    (static_final_declaration
      .
      (identifier) @name) @definition.constant))

(program
  [(static_final_declaration_list
     (static_final_declaration
       .
       (identifier) @name) @definition.variable)
   (initialized_identifier_list
     (initialized_identifier
       .
       (identifier) @name) @definition.variable)])

; ---- references
; Annotations: `@override`, `@JsonKey(name: 'x')`
(annotation
  name: [(identifier) @name
         (scoped_identifier scope: (_) @context name: (identifier) @name)]) @reference.decorator

; `extends A with M implements I`, `mixin M on A`
(superclass
  [(type_identifier) @name
   (mixins (type_identifier) @name)]) @reference.inherit

(interfaces
  (type_identifier) @name) @reference.inherit

(mixin_declaration
  "on"
  (type_identifier) @name) @reference.inherit

(mixin_declaration
  (interfaces
    (type_identifier) @name)) @reference.inherit

; Imports and exports: `show`/`hide` names, the prefix (`as http`), else the quoted URI
(import_specification
  (configurable_uri) @context
  (combinator
    (identifier) @name)) @reference.import

(import_specification
  (configurable_uri) @context
  "as"
  (identifier) @name) @reference.import

(library_export
  (configurable_uri) @context
  (combinator
    (identifier) @name)) @reference.import

(import_specification
  (configurable_uri
    (uri
      (string_literal) @name))) @reference.import

(library_export
  (configurable_uri
    (uri
      (string_literal) @name))) @reference.import

(part_directive
  (uri
    (string_literal) @name)) @reference.import

; Assignment targets, before calls and reads: `counter += 1`, `options.baseUrl = x`,
; `this.options = o`, `..options = o`
(assignment_expression
  left: (assignable_expression
    .
    (identifier) @name .)) @reference.write

(assignment_expression
  left: (assignable_expression
    .
    [(identifier) (this)] @context
    .
    (unconditional_assignable_selector
      (identifier) @name) .)) @reference.write

(assignment_expression
  left: (assignable_expression
    [(unconditional_assignable_selector (identifier) @name)
     (conditional_assignable_selector (identifier) @name)] .)) @reference.write

(cascade_section
  (cascade_selector
    (identifier) @name)
  .
  "=") @reference.write

; Calls: a name followed by arguments. `f(x)`, `Dio()`, `dio.get(p)`, `a?.b()`, `..close()`
(_
  [(identifier) (this) (super)] @context
  .
  (selector
    [(unconditional_assignable_selector (identifier) @name)
     (conditional_assignable_selector (identifier) @name)])
  .
  (selector
    (argument_part))) @reference.call

(_
  (selector
    [(unconditional_assignable_selector (identifier) @name)
     (conditional_assignable_selector (identifier) @name)])
  .
  (selector
    (argument_part))) @reference.call

(_
  (identifier) @name
  .
  (selector
    (argument_part))) @reference.call

(cascade_section
  (cascade_selector
    (identifier) @name)
  .
  (argument_part)) @reference.call

(new_expression
  [(type_identifier) @name
   (qualified (type_identifier) @context . (type_identifier) @name .)]) @reference.call

(const_object_expression
  [(type_identifier) @name
   (qualified (type_identifier) @context . (type_identifier) @name .)]) @reference.call

; `super.named(...)`, `this(...)` in initializer lists: `: super.named(x)`
(initializer_list_entry
  (super) @context
  .
  (identifier) @name) @reference.call

; Types where a type goes (a declaration's own name is not a reference; type
; parameters `<T>` are left out)
(qualified
  (type_identifier) @context
  .
  (type_identifier) @name .) @reference.type

([(type_arguments (type_identifier) @name)
  (formal_parameter (type_identifier) @name)
  (function_signature (type_identifier) @name)
  (getter_signature (type_identifier) @name)
  (setter_signature (type_identifier) @name)
  (operator_signature (type_identifier) @name)
  (declaration (type_identifier) @name)
  (initialized_variable_definition (type_identifier) @name)
  (program (type_identifier) @name)
  (type_cast (type_identifier) @name)
  (type_test (type_identifier) @name)
  (constructor_invocation (type_identifier) @name)
  (typed_identifier (type_identifier) @name)
  (function_type (type_identifier) @name)
  (normal_parameter_type (type_identifier) @name)
  (type_bound (type_identifier) @name)
  (try_statement (type_identifier) @name)
  (for_loop_parts (type_identifier) @name)
  (object_pattern (type_identifier) @name)
  (extension_declaration (type_identifier) @name)
  (representation_declaration (type_identifier) @name)
  (redirecting_factory_constructor_signature (type_identifier) @name)
  (type_alias (type_identifier) @name)] @reference.type)

; Member access that is not called or assigned: `response.data`, `r?.length`
(_
  [(identifier) (this) (super)] @context
  .
  (selector
    [(unconditional_assignable_selector (identifier) @name)
     (conditional_assignable_selector (identifier) @name)])) @reference.read

(selector
  [(unconditional_assignable_selector (identifier) @name)
   (conditional_assignable_selector (identifier) @name)]) @reference.read
