; Java tags: package, classes, interfaces, enums (and constants), records (and components), annotation types, methods, constructors, fields (with their declared types); parameters and locals with the evidence of their type; every use of a name with its role: calls, `new`, method references, imports, annotations, extends/implements, types, reads and writes. Earlier patterns win.

; ---- definitions
(package_declaration
  [(scoped_identifier) (identifier)] @name) @definition.package

(class_declaration
  name: (identifier) @name) @definition.class

(record_declaration
  name: (identifier) @name) @definition.class

(interface_declaration
  name: (identifier) @name) @definition.interface

(annotation_type_declaration
  name: (identifier) @name) @definition.interface

(enum_declaration
  name: (identifier) @name) @definition.enum

(method_declaration
  type: (_) @type
  name: (identifier) @name) @definition.method

(constructor_declaration
  name: (identifier) @name) @definition.method

(compact_constructor_declaration
  name: (identifier) @name) @definition.method

(annotation_type_element_declaration
  name: (identifier) @name) @definition.method

(enum_constant
  name: (identifier) @name) @definition.constant

; Record components are the record's fields
(record_declaration
  parameters: (formal_parameters
    (formal_parameter
      type: (_) @type
      name: (identifier) @name) @definition.field))

; `int a = 0, b;` declares several fields: each is its declarator, so they do not nest
; in one another. A single field is the whole declaration.
(field_declaration
  type: (_) @type
  declarator: (variable_declarator
    name: (identifier) @name) @definition.field
  .
  declarator: (variable_declarator))

(field_declaration
  type: (_) @type
  declarator: (variable_declarator)
  .
  declarator: (variable_declarator
    name: (identifier) @name) @definition.field)

(field_declaration
  type: (_) @type
  declarator: (variable_declarator
    name: (identifier) @name)) @definition.field

; Interface fields are implicitly static final
(constant_declaration
  type: (_) @type
  declarator: (variable_declarator
    name: (identifier) @name) @definition.constant
  .
  declarator: (variable_declarator))

(constant_declaration
  type: (_) @type
  declarator: (variable_declarator)
  .
  declarator: (variable_declarator
    name: (identifier) @name) @definition.constant)

(constant_declaration
  type: (_) @type
  declarator: (variable_declarator
    name: (identifier) @name)) @definition.constant

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py)
(formal_parameter type: (_) @type name: (identifier) @name) @binding.param
(spread_parameter (variable_declarator name: (identifier) @name)) @binding.param
(catch_formal_parameter (catch_type) @type name: (identifier) @name) @binding.param
(inferred_parameters (identifier) @name @binding.param)
(lambda_expression parameters: (identifier) @name @binding.param)

; `var x = new T()`, `var x = make()`: the value tells the type; else the declared type
(local_variable_declaration
  type: (type_identifier) @_var
  declarator: (variable_declarator name: (identifier) @name value: (_) @value)
  (#eq? @_var "var")) @binding.alias
(local_variable_declaration
  type: (_) @type
  declarator: (variable_declarator name: (identifier) @name)) @binding.local
(enhanced_for_statement type: (_) @type name: (identifier) @name) @binding.local
(resource type: (_) @type name: (identifier) @name) @binding.local
; `x instanceof T t`, `case T t ->`, `case R(T t) ->`
(instanceof_expression right: (_) @type name: (identifier) @name) @binding.local
(type_pattern (_) @type . (identifier) @name .) @binding.local
(record_pattern_component (_) @type . (identifier) @name .) @binding.local

; ---- references: every use of a name, with its role
; @context: the object of a call or field access (`repo.save()` -> repo), the qualifier
; of a qualified name (`com.acme.Foo` -> com.acme, `import com.acme.util.Strings;` ->
; com.acme.util), the left side of a method reference (`Foo::bar` -> Foo).
; @arguments: a call's argument list (what it says of the arguments picks an overload).

; names that use nothing: labels, annotation element names, the parts of a package name,
; a type parameter's declaration, `var`
(labeled_statement (identifier) @name @reference.skip)
(break_statement (identifier) @name @reference.skip)
(continue_statement (identifier) @name @reference.skip)
(element_value_pair key: (identifier) @name @reference.skip)
(package_declaration (scoped_identifier (identifier) @name @reference.skip))
(type_parameter . (type_identifier) @name @reference.skip)
((type_identifier) @name @reference.skip
  (#eq? @name "var"))

(import_declaration
  [(identifier) @name
   (scoped_identifier scope: (_) @context name: (identifier) @name)]) @reference.import
; `import a.b.*;`, `import static a.b.X.*;`: an import named `*` from what precedes it
; (every type of package a.b; every static member of class X)
(import_declaration
  [(identifier) (scoped_identifier)] @context
  (asterisk) @name) @reference.import

; Annotations
[(marker_annotation
   name: [(identifier) @name (scoped_identifier scope: (_) @context name: (identifier) @name)])
 (annotation
   name: [(identifier) @name (scoped_identifier scope: (_) @context name: (identifier) @name)])] @reference.decorator

; the other parts of a qualified name (`java.util` of an import, `com.acme` of an
; annotation, `Outer` of `Outer.Inner` in a `package`) use nothing of their own
(scoped_identifier (identifier) @name @reference.skip)

; Calls: `m(...)`, `x.m(...)`, `super.m(...)`, `Outer.super.m(...)`
(method_invocation
  (super) @context
  name: (identifier) @name
  arguments: (argument_list) @arguments) @reference.call

(method_invocation
  object: (_) @context
  name: (identifier) @name
  arguments: (argument_list) @arguments) @reference.call

(method_invocation
  !object
  name: (identifier) @name
  arguments: (argument_list) @arguments) @reference.call

; `new Foo(...)`, `new a.b.Foo<>(...)`, `outer.new Inner(...)` call the class
(object_creation_expression
  type: [(type_identifier) @name
         (scoped_type_identifier . (_) @context (type_identifier) @name .)
         (generic_type [(type_identifier) @name
                        (scoped_type_identifier . (_) @context (type_identifier) @name .)])]
  arguments: (argument_list) @arguments) @reference.call

; Foo::bar -> bar (context Foo); Foo::new -> Foo
(method_reference
  .
  (_) @context
  (identifier) @name .) @reference.call

(method_reference
  (identifier) @name .) @reference.call

; extends / implements
(superclass
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)
   (generic_type [(type_identifier) @name
                  (scoped_type_identifier . (_) @context (type_identifier) @name .)])]) @reference.inherit

(super_interfaces
  (type_list
    [(type_identifier) @name
     (scoped_type_identifier . (_) @context (type_identifier) @name .)
     (generic_type [(type_identifier) @name
                    (scoped_type_identifier . (_) @context (type_identifier) @name .)])])) @reference.inherit

(extends_interfaces
  (type_list
    [(type_identifier) @name
     (scoped_type_identifier . (_) @context (type_identifier) @name .)
     (generic_type [(type_identifier) @name
                    (scoped_type_identifier . (_) @context (type_identifier) @name .)])])) @reference.inherit

; Types, wherever a type goes (declarations, generic arguments, casts, instanceof, catch,
; throws, bounds, `Foo.class`): the last part of a qualified type is the name, its
; qualifier the context; a lower-case part (`java.io` of `java.io.File`) is a package's
(scoped_type_identifier
  (type_identifier) @name @reference.skip
  (#match? @name "^[a-z]"))

(scoped_type_identifier
  .
  (_) @context
  (type_identifier) @name .) @reference.type

(type_identifier) @name @reference.type

; `case Point(int x, int y) ->` names the record type
(record_pattern . (identifier) @name) @reference.type

; Writes: `this.x = ...`, `x = ...`, `x += ...`, `x++`
(assignment_expression
  left: (field_access object: (_) @context field: (identifier) @name)) @reference.write

(assignment_expression
  left: (identifier) @name) @reference.write

(update_expression
  [(identifier) @name
   (field_access object: (_) @context field: (identifier) @name)]) @reference.write

; Field access (a static field, an enum constant, `a.b.c`)
(field_access
  object: (_) @context
  field: (identifier) @name) @reference.read

; Every other name is read: an argument, a value assigned or returned, an array element,
; the object of a call or field access (`JsonToken` of `JsonToken.NUMBER`), a switch label
(identifier) @name @reference.read
