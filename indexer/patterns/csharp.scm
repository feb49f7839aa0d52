; C# tags: namespaces (file-scoped and block), classes, structs, interfaces, enums (and members), records (and positional properties), delegates, methods, constructors, operators, conversions, indexers, finalizers, local functions, properties, events, fields, consts; calls, `new`, usings, types, attributes, base lists, member access. Earlier patterns win.
; @context: the object of a member access or call (`obj.M()` -> obj, `a?.M()` -> a, `this.x` -> this), the qualifier of a qualified name (`using System.IO;` -> System, `IO.TextWriter` -> IO).

; ---- definitions
; `namespace Acme.Shipping;` applies to the rest of the file
(file_scoped_namespace_declaration
  name: [(identifier) (qualified_name)] @name) @definition.package

(namespace_declaration
  name: [(identifier) (qualified_name)] @name) @definition.module

(class_declaration
  name: (identifier) @name) @definition.class

(record_declaration
  "struct"
  name: (identifier) @name) @definition.struct

(record_declaration
  name: (identifier) @name) @definition.class

(struct_declaration
  name: (identifier) @name) @definition.struct

(interface_declaration
  name: (identifier) @name) @definition.interface

(enum_declaration
  name: (identifier) @name) @definition.enum

(delegate_declaration
  name: (identifier) @name) @definition.type

(method_declaration
  name: (identifier) @name) @definition.method

(constructor_declaration
  name: (identifier) @name) @definition.method

; Operators, conversions, indexers and finalizers are methods named as written, as C++
; ones are: `operator ==`, `operator checked -`, `operator int` (implicit or explicit),
; `this`, `~Unit`. The grammar splits these names into tokens; the name spans them all.
(operator_declaration
  "operator" @name
  operator: _ @name) @definition.method

(conversion_operator_declaration
  "operator" @name
  type: _ @name) @definition.method

(indexer_declaration
  "this" @name) @definition.method

(destructor_declaration
  "~" @name
  name: (identifier) @name) @definition.method

(local_function_statement
  name: (identifier) @name) @definition.function

(property_declaration
  name: (identifier) @name) @definition.field

(event_declaration
  name: (identifier) @name) @definition.field

(enum_member_declaration
  name: (identifier) @name) @definition.constant

; Positional record parameters are the record's properties
(record_declaration
  (parameter_list
    (parameter
      name: (identifier) @name) @definition.field))

; `const` fields. `int a, b;` declares several fields: each is its declarator, so they do
; not nest in one another; a single field is the whole declaration.
(field_declaration
  (modifier) @_const
  (variable_declaration
    (variable_declarator
      name: (identifier) @name) @definition.constant
    .
    (variable_declarator))
  (#eq? @_const "const"))

(field_declaration
  (modifier) @_const
  (variable_declaration
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.constant)
  (#eq? @_const "const"))

(field_declaration
  (modifier) @_const
  (variable_declaration
    (variable_declarator
      name: (identifier) @name))
  (#eq? @_const "const")) @definition.constant

(field_declaration
  (variable_declaration
    (variable_declarator
      name: (identifier) @name) @definition.field
    .
    (variable_declarator)))

(field_declaration
  (variable_declaration
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.field))

(event_field_declaration
  (variable_declaration
    (variable_declarator
      name: (identifier) @name) @definition.field
    .
    (variable_declarator)))

(event_field_declaration
  (variable_declaration
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.field))

(field_declaration
  (variable_declaration
    (variable_declarator
      name: (identifier) @name))) @definition.field

(event_field_declaration
  (variable_declaration
    (variable_declarator
      name: (identifier) @name))) @definition.field

; ---- references
(invocation_expression
  function: [(identifier) @name
             (generic_name (identifier) @name)
             (member_access_expression
               expression: _ @context
               name: [(identifier) @name (generic_name (identifier) @name)])
             (conditional_access_expression
               condition: (_) @context
               (member_binding_expression
                 name: [(identifier) @name (generic_name (identifier) @name)]))]) @reference.call

(object_creation_expression
  type: [(identifier) @name
         (generic_name (identifier) @name)
         (qualified_name
           qualifier: (_) @context
           name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.call

; using System.Text;  using static System.Math;  using IO = System.IO;  (alias names are left out)
(using_directive
  !name
  [(identifier) @name
   (qualified_name
     qualifier: (_) @context
     name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.import

(using_directive
  name: (identifier)
  [(identifier) @name
   (qualified_name
     qualifier: (_) @context
     name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.import

(base_list
  [(identifier) @name
   (generic_name (identifier) @name)
   (qualified_name
     qualifier: (_) @context
     name: [(identifier) @name (generic_name (identifier) @name)])
   (primary_constructor_base_type
     type: [(identifier) @name
            (generic_name (identifier) @name)
            (qualified_name
              qualifier: (_) @context
              name: [(identifier) @name (generic_name (identifier) @name)])])]) @reference.inherit

; Attributes name attribute classes
(attribute
  name: [(identifier) @name
         (generic_name (identifier) @name)
         (qualified_name
           qualifier: (_) @context
           name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.type

; Types where a type goes (type parameter declarations are not uses)
(_
  type: [(identifier) @name
         (generic_name (identifier) @name)
         (qualified_name
           qualifier: (_) @context
           name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.type

(_
  returns: [(identifier) @name
            (generic_name (identifier) @name)
            (qualified_name
              qualifier: (_) @context
              name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.type

(type_argument_list
  [(identifier) @name
   (generic_name (identifier) @name)
   (qualified_name
     qualifier: (_) @context
     name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.type

; Member access that is not a call
(member_access_expression
  expression: _ @context
  name: (identifier) @name) @reference.read

(conditional_access_expression
  condition: (_) @context
  (member_binding_expression
    name: (identifier) @name)) @reference.read

(member_binding_expression
  name: (identifier) @name) @reference.read
