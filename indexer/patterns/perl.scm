; Perl tags: packages (`package A::B;` names the subs after it until the next one,
; `package A::B { ... }` those in its block), subs (functions), Corinna classes, roles
; (traits), methods and fields, `use constant` names (constants), package variables
; (`our $VERSION`, named without the sigil); calls (functions, methods with their
; invocant), `use`/`require` (imports of the module), superclasses and roles (`use
; parent`, `use base`, `@ISA`, `:isa(...)`, `:does(...)`), hash fields with a bareword
; key as reads and assignment targets (`$self->{items}`).
; Not tagged: formats (the grammar does not parse them), labels, forward declarations.
; Earlier patterns win when two capture the same name.
; @context: the invocant of a method call (`$self->add` -> $self), the hash of a field
; (`$self->{items}` -> $self).

; ---- definitions

(package_statement
  name: (package) @name
  (block)) @definition.module

(package_statement
  name: (package) @name) @definition.package

(class_statement
  name: (package) @name) @definition.class

(role_statement
  name: (package) @name) @definition.trait

(subroutine_declaration_statement
  name: (bareword) @name) @definition.function

(method_declaration_statement
  name: (bareword) @name) @definition.method

; `field $x :param = 0;`, `field @history;` in a class block.
(class_statement
  (block
    (expression_statement
      [(assignment_expression
         left: (variable_declaration
           "field"
           variable: (_ (varname) @name)))
       (variable_declaration
         "field"
         variable: (_ (varname) @name))]) @definition.field))

; `use constant PI => 3.14;` and `use constant { E => 2.71, DEBUG => 0 };`
(use_statement
  module: (package) @_constant
  (list_expression
    .
    (autoquoted_bareword) @name @definition.constant)
  (#eq? @_constant "constant"))

(use_statement
  module: (package) @_constant
  (anonymous_hash_expression
    (list_expression
      (autoquoted_bareword) @name @definition.constant))
  (#eq? @_constant "constant"))

; Package variables declared at file level or in a package block: `our $VERSION = '1.0';`,
; `our @EXPORT_OK = qw(...)`, `our ($x, $y);`.
(source_file
  (expression_statement
    [(assignment_expression
       left: (variable_declaration
         "our"
         variable: (_ (varname) @name)))
     (variable_declaration
       "our"
       variable: (_ (varname) @name))]) @definition.variable)

(source_file
  (expression_statement
    [(assignment_expression
       left: (variable_declaration
         "our"
         variables: (_ (varname) @name) @definition.variable))
     (variable_declaration
       "our"
       variables: (_ (varname) @name) @definition.variable)]))

(package_statement
  (block
    (expression_statement
      [(assignment_expression
         left: (variable_declaration
           "our"
           variable: (_ (varname) @name)))
       (variable_declaration
         "our"
         variable: (_ (varname) @name))]) @definition.variable))

; ---- references

; `use parent -norequire, 'My::Base';`, `use base qw(Exporter);` (a `qw` list is one
; token: two names in it stay one reference).
(use_statement
  module: (package) @_parent
  [(string_literal (string_content) @name)
   (interpolated_string_literal (string_content) @name)
   (quoted_word_list (string_content) @name)
   (list_expression
     [(string_literal (string_content) @name)
      (interpolated_string_literal (string_content) @name)
      (quoted_word_list (string_content) @name)])]
  (#any-of? @_parent "parent" "base")) @reference.inherit

; `our @ISA = ('Base');`, `@ISA = qw(Base);`, `push @ISA, 'Base';`
(assignment_expression
  left: [(array (varname) @_isa)
         (variable_declaration variable: (array (varname) @_isa))]
  ; (no `right:` field: the grammar puts it on the parentheses of `('Base')` too)
  [(string_literal (string_content) @name)
   (quoted_word_list (string_content) @name)
   (list_expression (string_literal (string_content) @name))]
  (#eq? @_isa "ISA")) @reference.inherit

(ambiguous_function_call_expression
  function: (function) @_push
  arguments: (array (varname) @_isa)
  arguments: [(string_literal (string_content) @name)
              (quoted_word_list (string_content) @name)]
  (#eq? @_push "push")
  (#eq? @_isa "ISA")) @reference.inherit

; Corinna `class Point :isa(Shape) :does(Printable)`
(attribute
  name: (attribute_name) @_isa
  value: (attribute_value) @name
  (#any-of? @_isa "isa" "does")) @reference.inherit

(use_statement
  module: (package) @name) @reference.import

(require_expression
  [(bareword) @name
   (string_literal (string_content) @name)
   (interpolated_string_literal (string_content) @name)]) @reference.import

[(function_call_expression
   function: (function) @name)
 (ambiguous_function_call_expression
   function: (function) @name)] @reference.call

(method_call_expression
  invocant: (_) @context
  method: (method) @name) @reference.call

(assignment_expression
  left: (hash_element_expression
    .
    (_) @context
    key: (autoquoted_bareword) @name)) @reference.write

(hash_element_expression
  .
  (_) @context
  key: (autoquoted_bareword) @name) @reference.read
