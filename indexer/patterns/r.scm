; R tags: functions assigned with `<-`, `=` or `<<-` at any depth (also `\(x)` lambdas and
; names in quotes), file-level variables; S4 classes (`setClass`, their slots as fields),
; generics (functions) and methods (`setMethod("show", "Person", ...)` -> Person.show);
; Reference classes (`setRefClass`) and R6 classes (`R6Class`) assigned to a name, with
; their methods and fields, and methods added later (`Account$methods(...)`).
; References: calls (`f()`, `pkg::f()` with pkg as context, `obj$m()` with obj), imports
; (`library`, `require`, `requireNamespace`, `source`), superclasses (`contains =`,
; `inherit =`), member reads (`obj$x`, `obj@x`, `pkg::x`) and assignment targets.
; Earlier patterns win when two capture the same name.
; @receiver: the class of an S4 method or of `Class$methods(...)`.
; @context: the object of `$`/`@`, the package of `::`.

; ---- definitions

; `Stack <- R6Class("Stack", ...)`, `Account <- setRefClass("Account", ...)`,
; `Person <- setClass("Person", ...)`: a class named as the code uses it.
(binary_operator
  lhs: (identifier) @name
  operator: ["<-" "=" "<<-"]
  rhs: (call
    function: [(identifier) @_class
               (namespace_operator rhs: (identifier) @_class)])
  (#any-of? @_class "R6Class" "setRefClass" "setClass")) @definition.class

; `setClass("Person", representation(...))` on its own line.
(program
  (call
    function: (identifier) @_class
    arguments: (arguments
      .
      (argument
        value: (string (string_content) @name))))
  @definition.class
  (#eq? @_class "setClass"))

(program
  (call
    function: (identifier) @_generic
    arguments: (arguments
      .
      (argument
        value: (string (string_content) @name))))
  @definition.function
  (#eq? @_generic "setGeneric"))

; `setMethod("area", "Circle", function(shape) ...)` -> method Circle.area; a signature
; that is not one class (`signature("A", "B")`) leaves the method unqualified.
(call
  function: (identifier) @_method
  arguments: (arguments
    .
    (argument
      value: (string (string_content) @name))
    .
    (comma)
    .
    (argument
      value: (string (string_content) @receiver)))
  (#eq? @_method "setMethod")) @definition.method

(call
  function: (identifier) @_method
  arguments: (arguments
    .
    (argument
      value: (string (string_content) @name)))
  (#eq? @_method "setMethod")) @definition.method

; Methods and fields of R6 and Reference classes: `public = list(push = function(x) ...,
; items = NULL)`, `methods = list(...)`, `fields = list(balance = "numeric")`; methods
; added later with `Account$methods(show = function() ...)` belong to Account.
(call
  function: [(identifier) @_class
             (namespace_operator rhs: (identifier) @_class)]
  arguments: (arguments
    (argument
      name: (identifier) @_section
      value: (call
        function: (identifier) @_list
        arguments: (arguments
          (argument
            name: (identifier) @name
            value: (function_definition)) @definition.method))))
  (#any-of? @_class "R6Class" "setRefClass")
  (#any-of? @_section "public" "private" "active" "methods")
  (#eq? @_list "list"))

(call
  function: (extract_operator
    lhs: (identifier) @receiver
    rhs: (identifier) @_methods)
  arguments: (arguments
    [(argument
       name: (identifier) @name
       value: (function_definition)) @definition.method
     (argument
       value: (call
         function: (identifier) @_list
         arguments: (arguments
           (argument
             name: (identifier) @name
             value: (function_definition)) @definition.method)))])
  (#eq? @_methods "methods"))

(call
  function: [(identifier) @_class
             (namespace_operator rhs: (identifier) @_class)]
  arguments: (arguments
    (argument
      name: (identifier) @_section
      value: (call
        function: (identifier) @_list
        arguments: (arguments
          (argument
            name: (identifier) @name) @definition.field))))
  (#any-of? @_class "R6Class" "setRefClass")
  (#any-of? @_section "public" "private" "active" "fields")
  (#any-of? @_list "list" "c"))

; Slots of an S4 class: `representation(name = "character")`, `slots = c(age = "numeric")`.
(call
  function: (identifier) @_class
  arguments: (arguments
    (argument
      value: (call
        function: (identifier) @_representation
        arguments: (arguments
          (argument
            name: (identifier) @name) @definition.field))))
  (#eq? @_class "setClass")
  (#eq? @_representation "representation"))

(call
  function: (identifier) @_class
  arguments: (arguments
    (argument
      name: (identifier) @_slots
      value: (call
        function: (identifier) @_list
        arguments: (arguments
          (argument
            name: (identifier) @name) @definition.field))))
  (#eq? @_class "setClass")
  (#any-of? @_slots "slots" "representation")
  (#any-of? @_list "c" "list" "representation"))

; `add <- function(x, y) ...`, `mul = function(a, b) ...`, `cache <<- function() ...`,
; `sq <- \(x) x^2`, `"my fn" <- function() ...`, at any depth.
(binary_operator
  lhs: [(identifier) @name
        (string (string_content) @name)]
  operator: ["<-" "=" "<<-"]
  rhs: (function_definition)) @definition.function

; File-level variables: `MAX_ITER <- 100`, `defaults = list(...)`.
(program
  (binary_operator
    lhs: [(identifier) @name
          (string (string_content) @name)]
    operator: ["<-" "=" "<<-"]) @definition.variable)

; ---- references

; `library(dplyr)`, `require("stats")`, `requireNamespace("rlang")`, `source("R/utils.R")`
(call
  function: (identifier) @_import
  arguments: (arguments
    .
    (argument
      value: [(identifier) @name
              (string (string_content) @name)]))
  (#any-of? @_import "library" "require" "requireNamespace" "source" "loadNamespace")) @reference.import

; `contains = "Base"` (S4, Reference classes), `inherit = Base` (R6)
(call
  function: [(identifier) @_class
             (namespace_operator rhs: (identifier) @_class)]
  arguments: (arguments
    (argument
      name: (identifier) @_contains
      value: [(identifier) @name
              (string (string_content) @name)
              (call
                function: (identifier) @_c
                arguments: (arguments
                  (argument value: (string (string_content) @name))))]))
  (#any-of? @_class "R6Class" "setRefClass" "setClass")
  (#any-of? @_contains "contains" "inherit")) @reference.inherit

((call
  function: (identifier) @name) @reference.call
  (#not-eq? @name "library")
  (#not-eq? @name "require")
  (#not-eq? @name "requireNamespace")
  (#not-eq? @name "source")
  (#not-eq? @name "loadNamespace"))

(call
  function: [(namespace_operator lhs: (_) @context rhs: (identifier) @name)
             (extract_operator lhs: (_) @context rhs: (identifier) @name)]) @reference.call

; Assignment targets that define nothing: locals in functions, `obj$x <- 1`, `obj@x <- 1`.
(binary_operator
  lhs: [(identifier) @name
        (extract_operator lhs: (_) @context rhs: (identifier) @name)]
  operator: ["<-" "=" "<<-"]) @reference.write

(binary_operator
  operator: ["->" "->>"]
  rhs: [(identifier) @name
        (extract_operator lhs: (_) @context rhs: (identifier) @name)]) @reference.write

[(extract_operator lhs: (_) @context rhs: (identifier) @name)
 (namespace_operator lhs: (_) @context rhs: (identifier) @name)] @reference.read
