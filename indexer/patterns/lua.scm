; Lua tags: functions (`function f`, `local function f`, `function M.f` -> M.f,
; `function M:m` -> method M.m, `a.b.c = function` -> a.b.c, `local f = function`),
; function-valued fields of file-level tables (`local M = { f = function() end }` ->
; M.f), file-level variables (`local M = {}`, `X = 1`; `<const>` ones are constants) and
; file-level fields of tables (`M.VERSION = "1"` -> M.VERSION); calls, `require`
; (an import of the module string, not a call), field reads and assignment targets.
; Earlier patterns win when two capture the same name.
; @receiver: the table a function or field is defined on (`a.b` in `function a.b.c()`).
; @context: the table of a field access or method call (`util.log.info()` -> util.log).

; ---- definitions

(function_declaration
  name: (identifier) @name) @definition.function

(function_declaration
  name: (dot_index_expression
    table: (_) @receiver
    field: (identifier) @name)) @definition.function

(function_declaration
  name: (method_index_expression
    table: (_) @receiver
    method: (identifier) @name)) @definition.method

; `M.f = function() end`, `local f = function() end`, `f = function() end`, at any depth
; (one target, one value; `a, b = function() end, 1` is rare and left out).
(assignment_statement
  (variable_list
    .
    name: (dot_index_expression
      table: (_) @receiver
      field: (identifier) @name)
    .)
  (expression_list
    .
    value: (function_definition)
    .)) @definition.function

(variable_declaration
  (assignment_statement
    (variable_list
      .
      name: (identifier) @name
      .)
    (expression_list
      .
      value: (function_definition)
      .))) @definition.function

(assignment_statement
  (variable_list
    .
    name: (identifier) @name
    .)
  (expression_list
    .
    value: (function_definition)
    .)) @definition.function

; Function-valued fields of a file-level table, or of a table passed to the call that
; gives a file-level name its value: `local M = { new = function() end }` and
; `local Dog = class { bark = function(self) end }` -> M.new, Dog.bark. Fields of other
; anonymous tables (callbacks' option bags) are not definitions.
(chunk
  (variable_declaration
    (assignment_statement
      (expression_list
        value: [(table_constructor
                  (field
                    name: (identifier) @name
                    value: (function_definition)) @definition.function)
                (function_call
                  arguments: (arguments
                    (table_constructor
                      (field
                        name: (identifier) @name
                        value: (function_definition)) @definition.function)))]))))

(chunk
  (assignment_statement
    (expression_list
      value: [(table_constructor
                (field
                  name: (identifier) @name
                  value: (function_definition)) @definition.function)
              (function_call
                arguments: (arguments
                  (table_constructor
                    (field
                      name: (identifier) @name
                      value: (function_definition)) @definition.function)))])))

; File-level `local X <const> = 1` (Lua 5.4) is a constant.
(chunk
  (variable_declaration
    (assignment_statement
      (variable_list
        name: (identifier) @name
        .
        attribute: (attribute (identifier) @_attr))) @definition.constant)
  (#eq? @_attr "const"))

; Other file-level variables with one name and a value of their own: `local M = {}`,
; `local Dog = class()`, `count = 0`. Not the aliases a module starts with
; (`local insert = table.insert`, `local a, b = x, y`), nor `local x = require "x"` (an
; import, below), nor forward declarations (`local f`, defined later).
(chunk
  (variable_declaration
    (assignment_statement
      (variable_list
        .
        name: (identifier) @name
        .)
      (expression_list
        .
        value: [(table_constructor) (string) (number) (true) (false) (nil)
                (binary_expression) (unary_expression) (parenthesized_expression)
                (bracket_index_expression) (function_call name: (_) @_callee)]
        .))) @definition.variable
  (#not-eq? @_callee "require"))

(chunk
  (assignment_statement
    (variable_list
      .
      name: (identifier) @name
      .)
    (expression_list
      .
      value: [(table_constructor) (string) (number) (true) (false) (nil)
              (binary_expression) (unary_expression) (parenthesized_expression)
              (bracket_index_expression) (function_call name: (_) @_callee)]
      .)) @definition.variable
  (#not-eq? @_callee "require"))

; File-level fields set on a table: `M.VERSION = "1.0"` -> M.VERSION.
(chunk
  (assignment_statement
    (variable_list
      .
      name: (dot_index_expression
        table: (_) @receiver
        field: (identifier) @name)
      .)) @definition.field)

; ---- references

; `require("a.b")`, `require "a.b"`: an import of the module path.
(function_call
  name: (identifier) @_require
  arguments: (arguments
    .
    (string content: (string_content) @name))
  (#eq? @_require "require")) @reference.import

((function_call
  name: (identifier) @name) @reference.call
  (#not-eq? @name "require"))

(function_call
  name: (dot_index_expression
    table: (_) @context
    field: (identifier) @name)) @reference.call

(function_call
  name: (method_index_expression
    table: (_) @context
    method: (identifier) @name)) @reference.call

; Assignment targets, not `local` declarations (those are not uses of a name).
(chunk
  (assignment_statement
    (variable_list
      name: [(identifier) @name
             (dot_index_expression table: (_) @context field: (identifier) @name)]) @reference.write))

(block
  (assignment_statement
    (variable_list
      name: [(identifier) @name
             (dot_index_expression table: (_) @context field: (identifier) @name)]) @reference.write))

(dot_index_expression
  table: (_) @context
  field: (identifier) @name) @reference.read
