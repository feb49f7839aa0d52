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
; `T *Foo::make()`, `T &Foo::operator=()`, `ns::Foo::bar()` (receiver `ns::Foo`, read as
; ns.Foo).
(function_definition
  type: (_)? @type
  declarator: [
    (function_declarator
      declarator: [
        (qualified_identifier
          scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
          name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name)
        (qualified_identifier
          scope: (_) @receiver
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
            scope: (_) @receiver
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
            scope: (_) @receiver
            name: (qualified_identifier
              scope: [(namespace_identifier) @receiver (template_type name: (type_identifier) @receiver)]
              name: [(identifier) (destructor_name) (operator_name) (field_identifier)] @name))
        ]))
  ]) @definition.method

; Function definitions (free, or in a class body, where they become methods; includes
; constructors, destructors, operators and `= default` members).
(function_definition
  type: (_)? @type
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
  type: (_) @type
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
  type: (_) @type
  declarator: [
    (type_identifier) @name
    (pointer_declarator declarator: (type_identifier) @name)
    (function_declarator
      declarator: (parenthesized_declarator (pointer_declarator declarator: (type_identifier) @name)))
  ]) @definition.type

(alias_declaration
  name: (type_identifier) @name
  type: (_) @type) @definition.type

; Fields (data members). One declarator: the whole declaration is tagged (with an
; optional default member initialiser); several (`int x, y;`): each declarator alone.
(field_declaration
  type: (_) @type .
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
  type: (_) @type .
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
  ] .
  default_value: (_) .) @definition.field

(field_declaration
  type: (_) @type
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
    type: (_) @type .
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
    type: (_) @type .
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
    type: (_) @type
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
    type: (_) @type
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

; ---- bindings: parameters and locals (a use of one is no use of a definition), with
; the evidence of their type the code shows (see indexer/bindings.py). The declared type
; is the type as written without its qualifiers and declarator (`const Cart &c` -> Cart,
; `std::unique_ptr<Cart> p` -> std::unique_ptr<Cart>).
(parameter_list
  [(parameter_declaration
     type: (_) @type
     declarator: [
       (identifier) @name
       (pointer_declarator declarator: (identifier) @name)
       (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
       (reference_declarator (identifier) @name)
       (array_declarator declarator: (identifier) @name)
     ])
   (optional_parameter_declaration
     type: (_) @type
     declarator: [
       (identifier) @name
       (pointer_declarator declarator: (identifier) @name)
       (reference_declarator (identifier) @name)
     ])
   (variadic_parameter_declaration
     type: (_) @type
     declarator: (variadic_declarator (identifier) @name))] @binding.param)

; A lambda is a scope: its parameters and locals are its own.
(lambda_expression) @name @binding.scope

; `auto x = T(...)`, `auto x = new T(...)`, `auto *x = make()`: the value tells the type;
; else the declared type (`T x;`, `T *x = ...`, `T x(1, 2);`, `T x{...}`)
(declaration
  type: (placeholder_type_specifier)
  declarator: (init_declarator
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (reference_declarator (identifier) @name)
    ]
    value: (_) @value)) @binding.alias

(compound_statement
  (declaration
    type: (_) @type
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (reference_declarator (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: [
        (identifier) @name
        (pointer_declarator declarator: (identifier) @name)
        (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
        (reference_declarator (identifier) @name)
        (array_declarator declarator: (identifier) @name)
      ])
    ]) @binding.local)

(for_statement
  initializer: (declaration
    type: (_) @type
    declarator: (init_declarator declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
    ])) @binding.local)

(condition_clause
  value: (declaration
    type: (_) @type
    declarator: [
      (identifier) @name
      (pointer_declarator declarator: (identifier) @name)
    ]) @binding.local)

(for_range_loop
  type: (_) @type
  declarator: [
    (identifier) @name
    (pointer_declarator declarator: (identifier) @name)
    (reference_declarator (identifier) @name)
  ]) @binding.local

; `auto [a, b] = ...`: names without evidence
(structured_binding_declarator (identifier) @name @binding.local)

; ---- references: every use of a name, with its role
; @context: the object of a member access or call (`a->b()` -> a, `a.b().c` -> a.b()),
; the scope of a qualified name as written (`ns::f()` -> ns, `a::b::f()` -> a::b,
; `std::vector<T>` -> std). @arguments: a call's argument list (its arity picks an
; overload).

; names that use nothing: a prototype's name and parameters, a macro's parameters,
; attributes, the parts of a namespace's own name, a using declaration's scopes, `auto`
(function_declarator declarator: (identifier) @name @reference.skip)
(preproc_params (identifier) @name @reference.skip)
(destructor_name (identifier) @name @reference.skip)
(attribute name: (identifier) @name @reference.skip)
(attribute prefix: (identifier) @name @reference.skip)
(namespace_definition name: (namespace_identifier) @name @reference.skip)
(nested_namespace_specifier (namespace_identifier) @name @reference.skip)
(namespace_alias_definition name: (namespace_identifier) @name @reference.skip)
(using_declaration (qualified_identifier (namespace_identifier) @name @reference.skip))
(using_declaration
  (qualified_identifier (qualified_identifier (namespace_identifier) @name @reference.skip)))
(labeled_statement label: (statement_identifier) @name @reference.skip)

; `f()`, `obj.f()`, `ptr->f()`, `ns::f()`, `a::b::f()`, `a::b::c::f()`.
(call_expression
  function: [
    (identifier) @name
    (field_expression argument: (_) @context field: (field_identifier) @name)
    (qualified_identifier scope: (_) @context name: (identifier) @name)
    (qualified_identifier
      scope: (_) @context
      name: (qualified_identifier scope: (_) @context name: (identifier) @name))
    (qualified_identifier
      scope: (_) @context
      name: (qualified_identifier
        name: (qualified_identifier scope: (_) @context name: (identifier) @name)))
  ]
  arguments: (argument_list) @arguments) @reference.call

; `make_unique<T>(...)`, `std::make_shared<T>(...)`, but not the `*_cast<T>` operators
; (their T is a type use, below).
((call_expression
  function: [
    (template_function name: (identifier) @name)
    (qualified_identifier scope: (_) @context name: (template_function name: (identifier) @name))
    (qualified_identifier
      scope: (_) @context
      name: (qualified_identifier scope: (_) @context name: (template_function name: (identifier) @name)))
    (field_expression argument: (_) @context field: (template_method name: (field_identifier) @name))
  ]
  arguments: (argument_list) @arguments) @reference.call
  (#not-match? @name "^(static|dynamic|const|reinterpret)_cast$"))

((template_function name: (identifier) @name @reference.skip)
  (#match? @name "^(static|dynamic|const|reinterpret)_cast$"))

; `new Foo(...)`, `new ns::Foo`, `new Box<int>` -> call of the class.
(new_expression
  type: [
    (type_identifier) @name
    (qualified_identifier scope: (_) @context name: (type_identifier) @name)
    (template_type name: (type_identifier) @name)
    (qualified_identifier scope: (_) @context name: (template_type name: (type_identifier) @name))
  ]) @reference.call

(preproc_include
  path: [
    (string_literal (string_content) @name)
    (system_lib_string) @name
  ]) @reference.import

; `using namespace std::chrono;` (the namespace as written), `using std::string;`
; (string, from std), `using a::b::C;` (C, from a::b).
(using_declaration
  "namespace"
  [(identifier) (qualified_identifier)] @name) @reference.import

(using_declaration
  [(identifier) @name
   (qualified_identifier scope: (_) @context name: (identifier) @name)
   (qualified_identifier
     scope: (_) @context
     name: (qualified_identifier scope: (_) @context name: (identifier) @name))]) @reference.import

(base_class_clause
  [
    (type_identifier) @name
    (qualified_identifier scope: (_) @context name: (type_identifier) @name)
    (template_type name: (type_identifier) @name)
    (qualified_identifier scope: (_) @context name: (template_type name: (type_identifier) @name))
  ]) @reference.inherit

; Type uses: declarations, parameters, return types, casts, template arguments,
; `catch (const E &)`, `std::string`, `std::vector<T>`, elaborated `struct Foo`.
; Template parameter declarations (`typename T`) are not uses; uses of T inside the
; template are.
(_
  type: (type_identifier) @name) @reference.type

(qualified_identifier
  scope: (_) @context
  name: (qualified_identifier scope: (_) @context name: (type_identifier) @name)) @reference.type

(qualified_identifier
  scope: (_) @context
  name: (type_identifier) @name) @reference.type

(qualified_identifier
  scope: (_) @context
  name: (template_type name: (type_identifier) @name)) @reference.type

(template_type
  name: (type_identifier) @name) @reference.type

[
  (class_specifier name: (type_identifier) @name)
  (struct_specifier name: (type_identifier) @name)
  (union_specifier name: (type_identifier) @name)
  (enum_specifier name: (type_identifier) @name)
] @reference.type

; a type argument that the grammar reads as an expression (`vector<Item>`)
(template_argument_list (identifier) @name @reference.type)

; Writes: `x = ...`, `this->x += ...`, `obj.x = ...`, `x++`, `--p->n`
(assignment_expression
  left: [
    (identifier) @name
    (field_expression argument: (_) @context field: (field_identifier) @name)
    (qualified_identifier scope: (_) @context name: (identifier) @name)
  ]) @reference.write

(update_expression
  argument: [
    (identifier) @name
    (field_expression argument: (_) @context field: (field_identifier) @name)
  ]) @reference.write

; Member access that is not a call: `obj.x`, `ptr->x`, `this->x`
(field_expression
  argument: (_) @context
  field: (field_identifier) @name) @reference.read

; `T::m`, `ns::value`, `Color::Red`, `a::b::c`
(qualified_identifier
  scope: (_) @context
  name: (qualified_identifier scope: (_) @context name: (identifier) @name)) @reference.read

(qualified_identifier
  scope: (_) @context
  name: (identifier) @name) @reference.read

; the scope of a qualified name: a namespace or a class (`geo` of `geo::f()`, `Cart` of
; `geo::Cart::make()`)
(qualified_identifier
  scope: (_) @context
  name: (qualified_identifier scope: (namespace_identifier) @name)) @reference.read

(namespace_identifier) @name @reference.read

; Every other name is read: an argument, a value assigned, returned or initialised, an
; array element, a condition, a default value, a member initialiser's value
(identifier) @name @reference.read
