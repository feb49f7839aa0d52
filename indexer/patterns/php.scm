; PHP tags: namespaces (`namespace A\B;` applies to the rest of the file; `namespace A\B {}`
; is a block module; the name is kept as written, so qualified names read
; `App\Models.User.save`), classes, interfaces, traits, enums and their cases, functions,
; methods, properties (field, also when promoted by a constructor parameter), class and
; top-level constants; calls (functions, `->`, `?->`, `::`, `new Foo`), `use` imports,
; extends/implements/trait use (inheritance), type hints and static scopes (type),
; property and class-constant access (attribute).
; Earlier patterns win when two capture the same name.
; @context: the object or scope of a call or access (`$this->m()` -> $this, `Foo::m()` ->
; Foo), the namespace of a qualified name (`\App\Foo` -> App) and of a grouped `use`.

; ---- definitions

(namespace_definition
  name: (namespace_name) @name
  body: (compound_statement)) @definition.module

(namespace_definition
  name: (namespace_name) @name
  !body) @definition.package

(class_declaration
  name: (name) @name) @definition.class

(interface_declaration
  name: (name) @name) @definition.interface

(trait_declaration
  name: (name) @name) @definition.trait

(enum_declaration
  name: (name) @name) @definition.enum

(enum_case
  name: (name) @name) @definition.constant

(function_definition
  name: (name) @name
  return_type: (_)? @type) @definition.function

(method_declaration
  name: (name) @name
  return_type: (_)? @type) @definition.method

; Properties. With several in one declaration (`private $a, $b;`) each element is tagged
; alone; a single one is tagged with its whole declaration (modifiers and type).
(property_declaration
  type: (_)? @type
  (property_element) .
  (property_element
    name: (variable_name (name) @name)) @definition.field)

(property_declaration
  type: (_)? @type
  (property_element
    name: (variable_name (name) @name)) @definition.field .
  (property_element))

(property_declaration
  type: (_)? @type
  (property_element
    name: (variable_name (name) @name))) @definition.field

; Properties promoted by constructor parameters (`__construct(private string $x = '')`),
; tagged alone: @owner makes them members of the class (or trait), not of the constructor.
(_
  body: (declaration_list
    (method_declaration
      parameters: (formal_parameters
        (property_promotion_parameter
          type: (_)? @type
          name: [(variable_name (name) @name)
                 (by_ref (variable_name (name) @name))]) @definition.field)))) @owner

; Class constants (`const A = 1, B = 2;`) and top-level `const X = 1;`, same rule.
(const_declaration
  (const_element) .
  (const_element (name) @name) @definition.constant)

(const_declaration
  (const_element (name) @name) @definition.constant .
  (const_element))

(const_declaration
  (const_element (name) @name)) @definition.constant

; ---- bindings: parameters and locals with the evidence of their type the code shows
; (see indexer/bindings.py): declared types (`Item $item`, `?Item`, `A|B`), `new Foo()`,
; `Foo::make()` and `make()` (their declared results), `$x = $y`, `catch (E $e)`;
; `$this->x = new Foo()` binds x on `$this`. Variables are never definitions, so no
; binding hides one; a binding is kept only for its evidence.
(simple_parameter type: (_) @type name: (variable_name) @name) @binding.param
(variadic_parameter type: (_) @type name: (variable_name) @name) @binding.param
(catch_clause type: (_) @type name: (variable_name) @name) @binding.local
; a `use` under another name binds that name (queries/resolve_imports.py): `use
; App\Models\User as Member` (@value the class's own name)
(namespace_use_clause
  [(qualified_name (name) @value .) (name) @value]
  alias: (name) @name) @binding.import

(assignment_expression
  left: [(variable_name) @name
         (member_access_expression object: (variable_name) @context name: (name) @name)]
  right: (object_creation_expression [(name) (qualified_name)] @value)) @binding.call

(assignment_expression
  left: [(variable_name) @name
         (member_access_expression object: (variable_name) @context name: (name) @name)]
  right: [(scoped_call_expression
            scope: [(name) @value (qualified_name (name) @value .)]
            name: (name) @value)
          (function_call_expression function: [(name) (qualified_name)] @value)]) @binding.call

(assignment_expression
  left: [(variable_name) @name
         (member_access_expression object: (variable_name) @context name: (name) @name)]
  right: (variable_name) @value) @binding.alias

; Functions without a name of their own are scopes of their own parameters.
[(anonymous_function) (arrow_function)] @name @binding.scope

; ---- references

(function_call_expression
  function: [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.call

(member_call_expression
  object: (_) @context
  name: (name) @name) @reference.call

(nullsafe_member_call_expression
  object: (_) @context
  name: (name) @name) @reference.call

(scoped_call_expression
  scope: (_) @context
  name: (name) @name) @reference.call

; `new Foo`, `new \App\Foo()`: a call of the class (not `new static` / `new self`).
((object_creation_expression
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.call
  (#not-match? @name "^(static|self|parent)$"))

; `use App\Models\User;` -> App\Models\User (as written); `use A\B\{C, D as E};` -> A\B,
; C and D. Aliases are not references.
; @context of a grouped name: the group's namespace (`A\B`).
(namespace_use_declaration
  (namespace_name) @context
  body: (namespace_use_group
    (namespace_use_clause
      .
      [(qualified_name) (name)] @name))) @reference.import

(namespace_use_clause
  .
  [(qualified_name) (name)] @name) @reference.import

(namespace_use_declaration
  (namespace_name) @name
  body: (namespace_use_group)) @reference.import

(base_clause
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.inherit

(class_interface_clause
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.inherit

; `use Timestamps, SoftDeletes;` inside a class body.
(use_declaration
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.inherit

; Type hints (parameters, returns, properties, catch) and `$x instanceof Foo`.
((named_type
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.type
  (#not-match? @name "^(static|self|parent)$"))

(binary_expression
  operator: "instanceof"
  right: [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.type

; The class in `Foo::bar()`, `Foo::$count`, `Foo::BAR` (self/parent/static are not names).
(scoped_call_expression
  scope: [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.type

(scoped_property_access_expression
  scope: [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.type

(class_constant_access_expression
  .
  [(name) @name (qualified_name prefix: (_)? @context (name) @name .)]) @reference.type

; Property and class-constant access that is not a call: `$this->name`, `$a?->b`,
; `self::$count`, `Status::Active` (not `Foo::class`).
(member_access_expression
  object: (_) @context
  name: (name) @name) @reference.read

(nullsafe_member_access_expression
  object: (_) @context
  name: (name) @name) @reference.read

(scoped_property_access_expression
  scope: (_) @context
  name: (variable_name (name) @name)) @reference.read

((class_constant_access_expression
  (_) @context
  .
  (name) @name .) @reference.read
  (#not-eq? @name "class"))
