; C# tags: namespaces (file-scoped and block), classes, structs, interfaces, enums (and members), records (and positional properties), delegates, methods, constructors, operators, conversions, indexers, finalizers, local functions, properties, events, fields, consts (with their declared types); parameters and locals with the evidence of their type; every use of a name with its role: calls, `new`, usings, attributes, base lists, types, reads and writes. Earlier patterns win.
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
  returns: (_) @type
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
  type: (_) @type
  name: (identifier) @name) @definition.function

(property_declaration
  type: (_) @type
  name: (identifier) @name) @definition.field

(event_declaration
  type: (_) @type
  name: (identifier) @name) @definition.field

(enum_member_declaration
  name: (identifier) @name) @definition.constant

; Positional record parameters are the record's properties
(record_declaration
  (parameter_list
    (parameter
      type: (_)? @type
      name: (identifier) @name) @definition.field))

; `const` fields. `int a, b;` declares several fields: each is its declarator, so they do
; not nest in one another; a single field is the whole declaration.
(field_declaration
  (modifier) @_const
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name) @definition.constant
    .
    (variable_declarator))
  (#eq? @_const "const"))

(field_declaration
  (modifier) @_const
  (variable_declaration
    type: (_) @type
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.constant)
  (#eq? @_const "const"))

(field_declaration
  (modifier) @_const
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name))
  (#eq? @_const "const")) @definition.constant

(field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name) @definition.field
    .
    (variable_declarator)))

(field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.field))

(event_field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name) @definition.field
    .
    (variable_declarator)))

(event_field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator)
    .
    (variable_declarator
      name: (identifier) @name) @definition.field))

(field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name))) @definition.field

(event_field_declaration
  (variable_declaration
    type: (_) @type
    (variable_declarator
      name: (identifier) @name))) @definition.field

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py)
(parameter type: (_) @type name: (identifier) @name) @binding.param
(parameter name: (identifier) @name) @binding.param
; `using Alias = A.B.Type;` binds the alias (queries/resolve_imports.py; @value the
; type's own name)
(using_directive
  name: (identifier) @name
  [(identifier) @value (qualified_name name: (identifier) @value)]) @binding.import
(parameter_list name: (identifier) @name) @binding.param
(implicit_parameter) @name @binding.param
(catch_declaration type: (_) @type name: (identifier) @name) @binding.param

; `var x = new T()`, `var x = Make()`: the value tells the type; else the declared type
(local_declaration_statement
  (variable_declaration
    type: (implicit_type)
    (variable_declarator name: (identifier) @name . (_) @value))) @binding.alias
(using_statement
  (variable_declaration
    type: (implicit_type)
    (variable_declarator name: (identifier) @name . (_) @value))) @binding.alias
(local_declaration_statement
  (variable_declaration
    type: (_) @type
    (variable_declarator name: (identifier) @name))) @binding.local
(using_statement
  (variable_declaration
    type: (_) @type
    (variable_declarator name: (identifier) @name))) @binding.local
(for_statement
  (variable_declaration
    type: (_) @type
    (variable_declarator name: (identifier) @name))) @binding.local
(variable_declarator (tuple_pattern name: (identifier) @name)) @binding.local
(foreach_statement type: (implicit_type) left: (identifier) @name) @binding.local
(foreach_statement type: (_) @type left: (identifier) @name) @binding.local
; `x is T t`, `case T t:`, `x is T { ... } t`, `out var x`, `out T x`
(declaration_pattern type: (_) @type name: (identifier) @name) @binding.local
(recursive_pattern type: (_) @type name: (identifier) @name) @binding.local
(declaration_expression type: (implicit_type) name: (identifier) @name) @binding.local
(declaration_expression type: (_) @type name: (identifier) @name) @binding.local

; ---- references: every use of a name, with its role
; @context: the object of a member access or call (`obj.M()` -> obj, `a?.M()` -> a,
; `this.x` -> this), the qualifier of a qualified name (`using System.IO;` -> System,
; `IO.TextWriter` -> IO). @arguments: a call's argument list (it picks an overload).

; names that use nothing: labels, named arguments, a using alias, type parameters, the
; class name in a finalizer's (`~Base`)
(labeled_statement (identifier) @name @reference.skip)
(goto_statement (identifier) @name @reference.skip)
(argument name: (identifier) @name @reference.skip)
(attribute_argument name: (identifier) @name @reference.skip)
(using_directive name: (identifier) @name @reference.skip)
(type_parameter name: (identifier) @name @reference.skip)
(type_parameter_constraints_clause . (identifier) @name @reference.skip)
(destructor_declaration name: (identifier) @name @reference.skip)

(invocation_expression
  function: [(identifier) @name
             (generic_name (identifier) @name)
             (member_access_expression
               expression: _ @context
               name: [(identifier) @name (generic_name (identifier) @name)])
             (conditional_access_expression
               condition: (_) @context
               (member_binding_expression
                 name: [(identifier) @name (generic_name (identifier) @name)]))]
  arguments: (argument_list) @arguments) @reference.call

(object_creation_expression
  type: [(identifier) @name
         (generic_name (identifier) @name)
         (qualified_name
           qualifier: (_) @context
           name: [(identifier) @name (generic_name (identifier) @name)])]
  arguments: (argument_list)? @arguments) @reference.call

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

; the parts of a namespace's name (in a using or a namespace declaration) use nothing
(using_directive
  (qualified_name
    [(identifier) @name
     (qualified_name [(identifier) @name (qualified_name (identifier) @name)])]) @reference.skip)
(namespace_declaration
  name: (qualified_name
    [(identifier) @name
     (qualified_name [(identifier) @name (qualified_name (identifier) @name)])]) @reference.skip)
(file_scoped_namespace_declaration
  name: (qualified_name
    [(identifier) @name
     (qualified_name [(identifier) @name (qualified_name (identifier) @name)])]) @reference.skip)

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
           name: [(identifier) @name (generic_name (identifier) @name)])]) @reference.decorator

; Types where a type goes (declarations, generic arguments, casts, `as`, `typeof`,
; `catch`, constraints, patterns); type parameter declarations are not uses
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

(as_expression
  right: [(identifier) @name
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

; Writes: `x = ...`, `this.x += ...`, `x++`
(assignment_expression
  left: [(identifier) @name
         (member_access_expression expression: _ @context name: (identifier) @name)]) @reference.write

(postfix_unary_expression
  [(identifier) @name
   (member_access_expression expression: _ @context name: (identifier) @name)]) @reference.write
(prefix_unary_expression
  [(identifier) @name
   (member_access_expression expression: _ @context name: (identifier) @name)]) @reference.write

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

; Every other name is read: an argument, a value, a qualifier (`Size` of `Size.Large`)
(identifier) @name @reference.read
