; Java tags: package, classes, interfaces, enums (and constants), records (and components), annotation types, methods, constructors, fields; calls, `new`, method refs, imports, types, annotations, extends/implements, field access. Earlier patterns win.
; @context: the object of a call or field access (`repo.save()` -> repo), the qualifier of a qualified name (`import com.acme.util.Strings;` -> com.acme.util, `java.io.Serializable` -> java.io), the left side of a method reference (`Foo::bar` -> Foo).

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
      name: (identifier) @name) @definition.field))

; `int a = 0, b;` declares several fields: each is its declarator, so they do not nest
; in one another. A single field is the whole declaration.
(field_declaration
  declarator: (variable_declarator
    name: (identifier) @name) @definition.field
  .
  declarator: (variable_declarator))

(field_declaration
  declarator: (variable_declarator)
  .
  declarator: (variable_declarator
    name: (identifier) @name) @definition.field)

(field_declaration
  declarator: (variable_declarator
    name: (identifier) @name)) @definition.field

; Interface fields are implicitly static final
(constant_declaration
  declarator: (variable_declarator
    name: (identifier) @name) @definition.constant
  .
  declarator: (variable_declarator))

(constant_declaration
  declarator: (variable_declarator)
  .
  declarator: (variable_declarator
    name: (identifier) @name) @definition.constant)

(constant_declaration
  declarator: (variable_declarator
    name: (identifier) @name)) @definition.constant

; ---- references
; @context: the object of a call (`repo.save()` -> repo), the qualifier of a qualified
; name (`com.acme.Foo` -> com.acme, `import com.acme.util.Strings;` -> com.acme.util).
(method_invocation
  object: (_)? @context
  name: (identifier) @name) @reference.call

(object_creation_expression
  type: [(type_identifier) @name
         (scoped_type_identifier . (_) @context (type_identifier) @name .)
         (generic_type [(type_identifier) @name
                        (scoped_type_identifier . (_) @context (type_identifier) @name .)])]) @reference.call

; Foo::bar -> bar (context Foo); Foo::new -> Foo
(method_reference
  .
  (_) @context
  (identifier) @name .) @reference.call

(method_reference
  (identifier) @name .) @reference.call

(import_declaration
  [(identifier) @name
   (scoped_identifier scope: (_) @context name: (identifier) @name)]) @reference.import

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

; Annotations name annotation types
[(marker_annotation
   name: [(identifier) @name (scoped_identifier scope: (_) @context name: (identifier) @name)])
 (annotation
   name: [(identifier) @name (scoped_identifier scope: (_) @context name: (identifier) @name)])] @reference.type

; Types where a type goes. Type parameter declarations (`<T>`) are not uses, and only
; the last part of a qualified type (`java.io.Serializable`) is the name.
(_
  type: [(type_identifier) @name
         (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(_
  element: [(type_identifier) @name
            (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(instanceof_expression
  right: [(type_identifier) @name
          (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(generic_type
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(type_arguments
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(type_list
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(throws
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(catch_type
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(type_bound
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(class_literal
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(wildcard
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

(annotated_type
  [(type_identifier) @name
   (scoped_type_identifier . (_) @context (type_identifier) @name .)]) @reference.type

; Field access that is not a call
(field_access
  object: (_) @context
  field: (identifier) @name) @reference.read
