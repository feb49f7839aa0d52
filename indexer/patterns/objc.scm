; Objective-C tags: classes (`@interface X : Super` and `@implementation X`), categories and class extensions (a scope named after their class: `@interface X (Private)` -> X.m), protocols (interfaces), methods named by their first selector keyword with its colon (`- (void)GET:(id)a parameters:(id)p` -> GET:, `- (void)resume` -> resume), properties and instance variables (fields), NS_ENUM/NS_OPTIONS names; message sends named the same way (`[session GET:url parameters:p]` -> GET:), `@import`, superclasses and adopted protocols, assignments; and, from c.scm, C's functions, structs, enums, typedefs, macros, globals, calls, #import/#include, types and field accesses. Earlier patterns win (these before C's).
; A full selector (`GET:parameters:`) would be a name that is not one piece of the source text, which the name of a definition or reference is (tests/test_properties.py holds the extractor to that).
; @context: the receiver of a message (`[self.session resume]` -> self.session), the object of a field access.
; inherits: c_tags

; ---- definitions
(class_interface
  .
  (identifier) @name
  superclass: (_)) @definition.class

; A category or class extension adds to a class defined elsewhere
(class_interface
  .
  (identifier) @name) @scope

(class_implementation
  .
  (identifier) @name
  category: (_)) @scope

(class_implementation
  .
  (identifier) @name) @definition.class

(protocol_declaration
  .
  (identifier) @name) @definition.interface

; Methods: a keyword selector by its first keyword and colon, a unary one by its name
[(method_definition
   (method_type)?
   .
   (identifier) @name
   .
   (method_parameter
     ":" @name))
 (method_declaration
   (method_type)?
   .
   (identifier) @name
   .
   (method_parameter
     ":" @name))] @definition.method

(method_definition
  (method_type)?
  .
  (identifier) @name
  .
  (compound_statement)) @definition.method

(method_declaration
  (method_type)?
  .
  (identifier) @name .) @definition.method

; Block typedefs: `typedef void (^AFCompletion)(NSData *data);`
(type_definition
  declarator: (function_declarator
    declarator: (parenthesized_declarator
      (block_pointer_declarator
        declarator: (type_identifier) @name)))) @definition.type

; `@property (nonatomic, copy) NSString *name;`, and instance variables in braces
(property_declaration
  (struct_declaration
    (struct_declarator
      [(identifier) @name
       (pointer_declarator declarator: (identifier) @name)
       (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
       (block_pointer_declarator declarator: (identifier) @name)]))) @definition.field

(instance_variable
  (struct_declaration
    (struct_declarator
      [(identifier) @name
       (pointer_declarator declarator: (identifier) @name)
       (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))]))) @definition.field

; `typedef NS_ENUM(NSInteger, AFStatus) {...}`: the grammar cannot read the macro, but
; keeps the name in an error node
(ERROR
  (macro_type_specifier
    name: (identifier) @_macro
    (ERROR
      (identifier) @name))
  (#match? @_macro "^NS_(ENUM|OPTIONS|CLOSED_ENUM|ERROR_ENUM)$")) @definition.enum

; ---- references
; Messages: `[session GET:url parameters:p]` -> GET: (receiver session), `[self resume]`
(message_expression
  receiver: (_) @context
  .
  method: (identifier) @name
  .
  ":" @name) @reference.call

(message_expression
  receiver: (_) @context
  .
  method: (identifier) @name .) @reference.call

(module_import
  path: (identifier) @name) @reference.import

(class_interface
  superclass: (identifier) @name) @reference.inherit

[(protocol_reference_list
   (identifier) @name)
 (class_interface
   (parameterized_arguments
     (type_name
       (type_identifier) @name)))] @reference.inherit

; Assignment targets: `self.retries = 3`, `_session = s`, `count += 1`
(assignment_expression
  left: [(identifier) @name
         (field_expression argument: (_) @context field: (field_identifier) @name)]) @reference.write
