; C++ tags: namespaces (module), classes, structs, unions, enums (and enumerators),
; functions and methods (in-class definitions, in-class member declarations, out-of-line
; `Foo::bar` definitions via @receiver, constructors, destructors, operators), templates
; (the templated class or function), typedefs and `using` aliases, macros, fields,
; namespace-scope variables; calls (plain, member, qualified, template, `new Foo`),
; #include and `using` imports, base classes, type uses and member accesses.
; Free-function prototypes are declarations and are not tagged (as in C); member
; function declarations inside a class body are tagged as methods, being part of the
; class definition (so `Foo::bar` declared in-class and defined out-of-line gives two
; `Foo.bar` tags). Earlier patterns win when two capture the same name.
; @context: the object of a member access or call (`a->b()` -> a), the scope of a
; qualified name (`ns::f()` -> ns, `std::vector<T>` -> std); for `a::b::f()` only the
; innermost scope (b).

; ---- definitions

; Out-of-line member definitions: `T Foo::bar() {}`, `Foo<T>::Foo()`, `Foo::~Foo()`,
; `T *Foo::make()`, `T &Foo::operator=()`, `ns::Foo::bar()` (receiver is the innermost
; scope, `Foo`).
(function_definition
  declarator: [
    (function_declarator
      declarator: [
        (qualified_identifier
          scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
          name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name)
        (qualified_identifier
          name: (qualified_identifier
            scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
            name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name))
      ])
    (pointer_declarator
      declarator: (function_declarator
        declarator: [
          (qualified_identifier
            scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
            name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name)
          (qualified_identifier
            name: (qualified_identifier
              scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
              name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name))
        ]))
    (reference_declarator
      (function_declarator
        declarator: [
          (qualified_identifier
            scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
            name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name)
          (qualified_identifier
            name: (qualified_identifier
              scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
              name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name))
        ]))
  ]) @definition.method

; Function definitions (free, or in a class body, where they become methods; includes
; constructors, destructors, operators and `= default` members).
(function_definition
  declarator: [
    (function_declarator
      declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
    (pointer_declarator
      declarator: (function_declarator
        declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name))
    (pointer_declarator
      declarator: (pointer_declarator
        declarator: (function_declarator
          declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)))
    (reference_declarator
      (function_declarator
        declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name))
  ]) @definition.function

; Member function declarations in a class body: `virtual double area() const = 0;`,
; `static Foo *make();`, `Foo &operator=(const Foo &);`.
(field_declaration
  declarator: [
    (function_declarator
      declarator: [(field_identifier) (operator_name)] @name)
    (pointer_declarator
      declarator: (function_declarator declarator: [(field_identifier) (operator_name)] @name))
    (pointer_declarator
      declarator: (pointer_declarator
        declarator: (function_declarator declarator: [(field_identifier) (operator_name)] @name)))
    (reference_declarator
      (function_declarator declarator: [(field_identifier) (operator_name)] @name))
  ]) @definition.method

; Constructor and destructor declarations, and member templates, in a class body.
(field_declaration_list
  [
    (declaration
      declarator: (function_declarator
        declarator: [(identifier) (destructor_name) (operator_name)] @name)) @definition.method
    (template_declaration
      (declaration
        declarator: [
          (function_declarator declarator: [(identifier) (operator_name)] @name)
          (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
          (reference_declarator (function_declarator declarator: (identifier) @name))
        ]) @definition.method)
  ])

(preproc_def
  name: (identifier) @name) @definition.macro

(preproc_function_def
  name: (identifier) @name) @definition.macro

; `namespace a::b::c { }`: `a` and `b` name enclosing scopes, `c` is the module a.b.c.
(namespace_definition
  name: (nested_namespace_specifier . (namespace_identifier) @name)) @scope

(namespace_definition
  name: (nested_namespace_specifier
    (nested_namespace_specifier . (namespace_identifier) @name (_)))) @scope

(namespace_definition
  name: (nested_namespace_specifier
    [(namespace_identifier) @name
     (nested_namespace_specifier (namespace_identifier) @name .)] .)) @definition.module

(namespace_definition
  name: (namespace_identifier) @name) @definition.module

; Classes, structs, unions and enums with a body, including template specialisations
; (`template <> class Box<int> {}` defines Box).
(class_specifier
  name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
  body: (field_declaration_list)) @definition.class

(struct_specifier
  name: [(type_identifier) @name (template_type name: (type_identifier) @name)]
  body: (field_declaration_list)) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list)) @definition.union

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list)) @definition.enum

(enumerator
  name: (identifier) @name) @definition.constant

; `typedef struct Foo {...} Foo_t;`: the alias is tagged on its name alone.
(type_definition
  type: [
    (class_specifier name: (_) body: (_))
    (struct_specifier name: (_) body: (_))
    (union_specifier name: (_) body: (_))
    (enum_specifier name: (_) body: (_))
  ]
  declarator: (type_identifier) @name @definition.type)

(type_definition
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name)))
  ]) @definition.type

(alias_declaration
  name: (type_identifier) @name) @definition.type

; Fields (data members). One declarator: the whole declaration is tagged (with an
; optional default member initialiser); several (`int x, y;`): each declarator alone.
(field_declaration
  type: (_) .
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))
  ] .) @definition.field

(field_declaration
  type: (_) .
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
  ] .
  default_value: (_) .) @definition.field

(field_declaration
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (field_identifier) @name)))
  ] @definition.field)

; Variables at file or namespace scope (not `extern` declarations, not prototypes).
(translation_unit
  (declaration
    (storage_class_specifier)? @storage
    type: (_) .
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (reference_declarator (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ])
    ] .) @definition.variable
  (#not-eq? @storage "extern"))

(declaration_list
  (declaration
    (storage_class_specifier)? @storage
    type: (_) .
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (reference_declarator (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ])
    ] .) @definition.variable
  (#not-eq? @storage "extern"))

(translation_unit
  (declaration
    (storage_class_specifier)? @storage
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (reference_declarator (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ])
    ] @definition.variable)
  (#not-eq? @storage "extern"))

(declaration_list
  (declaration
    (storage_class_specifier)? @storage
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (reference_declarator (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ])
    ] @definition.variable)
  (#not-eq? @storage "extern"))

; ---- references

; `f()`, `obj.f()`, `ptr->f()`, `ns::f()`, `a::b::f()`, `a::b::c::f()`.
(call_expression
  function: [
    (identifier) @name
    (field_expression argument: (_) @context field: (field_identifier) @name)
    (qualified_identifier scope: (_)? @context name: (identifier) @name)
    (qualified_identifier name: (qualified_identifier scope: (_)? @context name: (identifier) @name))
    (qualified_identifier name: (qualified_identifier
      name: (qualified_identifier scope: (_)? @context name: (identifier) @name)))
  ]) @reference.call

; `make_unique<T>(...)`, `std::make_shared<T>(...)`, but not the `*_cast<T>` operators.
((call_expression
  function: [
    (template_function name: (identifier) @name)
    (qualified_identifier scope: (_)? @context name: (template_function name: (identifier) @name))
    (field_expression argument: (_) @context field: (template_method name: (field_identifier) @name))
  ]) @reference.call
  (#not-match? @name "^(static|dynamic|const|reinterpret)_cast$"))

; `new Foo(...)`, `new ns::Foo`, `new Box<int>` -> call of the class.
(new_expression
  type: [
    (type_identifier) @name
    (qualified_identifier scope: (_)? @context name: (type_identifier) @name)
    (template_type name: (type_identifier) @name)
    (qualified_identifier scope: (_)? @context name: (template_type name: (type_identifier) @name))
  ]) @reference.call

(preproc_include
  path: [
    (string_literal (string_content) @name)
    (system_lib_string) @name
  ]) @reference.import

; `using namespace std::chrono;`, `using std::string;` (the name as written).
(using_declaration
  [(identifier) (qualified_identifier)] @name) @reference.import

(base_class_clause
  [
    (type_identifier) @name
    (qualified_identifier scope: (_)? @context name: (type_identifier) @name)
    (template_type name: (type_identifier) @name)
    (qualified_identifier scope: (_)? @context name: (template_type name: (type_identifier) @name))
  ]) @reference.inherit

; Type uses: declarations, parameters, return types, casts, template arguments,
; `std::string`, `std::vector<T>`, elaborated `struct Foo`. Template parameter
; declarations (`typename T`) are not uses; uses of T inside the template are.
(_
  type: (type_identifier) @name) @reference.type

(qualified_identifier
  scope: (_)? @context
  name: (type_identifier) @name) @reference.type

(qualified_identifier
  scope: (_)? @context
  name: (template_type name: (type_identifier) @name)) @reference.type

(template_type
  name: (type_identifier) @name) @reference.type

[
  (class_specifier name: (type_identifier) @name)
  (struct_specifier name: (type_identifier) @name)
  (union_specifier name: (type_identifier) @name)
  (enum_specifier name: (type_identifier) @name)
] @reference.type

(field_expression
  argument: (_) @context
  field: (field_identifier) @name) @reference.read
