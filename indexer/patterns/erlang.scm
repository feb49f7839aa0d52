; Erlang tags: the module (`-module(shop)` qualifies every later definition, as a
; package), functions (one definition per clause: the grammar gives each clause of
; `f(0) -> ...; f(N) -> ...` its own `fun_decl`, as universal-ctags tags them), records
; and their fields, types (`-type`, `-opaque`, `-nominal`), macros (`-define`) and
; behaviour callbacks (`-callback`: functions).
; References: local and remote calls (`helper(X)`, `lists:map(F, L)`, `Mod:f()`),
; `fun f/1` and `fun m:f/1` (reads), macro uses (`?LOG(X)`: calls; `?TIMEOUT`: reads;
; not the predefined `?MODULE`, `?LINE`, ...), records (`#item{}`: type), record fields
; (`R#item.qty`, `#item.qty` and in patterns: reads; set in `#item{qty = 1}` and
; `R#item{qty = 1}`: writes), exported functions and types (reads, types), `-import`
; (import of each function), `-include`/`-include_lib` (import of the path, quotes
; included: the grammar has no node for the text), `-behaviour` (inherit), other module
; attributes (`-vsn(...)`, `-dialyzer(...)`: decorator) and types in specs, callbacks,
; type definitions and record fields (type; a spec's function name is a type reference
; to the function it types).
; Earlier patterns win when two capture the same name.
; @context: the module of a remote call or fun (`lists:map` -> lists), of an imported
; function (`-import(lists, [map/2])` -> lists) and of a remote type; the record of a
; field (`R#item.qty` -> item).

; ---- definitions
(module_attribute
  name: (atom) @name) @definition.package

(fun_decl
  clause: (function_clause
    name: (atom) @name)) @definition.function

(record_decl
  name: (atom) @name) @definition.record

(record_decl
  (record_field
    name: (atom) @name) @definition.field)

(type_alias
  name: (type_name name: (atom) @name)) @definition.type

(opaque
  name: (type_name name: (atom) @name)) @definition.type

(nominal
  name: (type_name name: (atom) @name)) @definition.type

(pp_define
  lhs: (macro_lhs name: (_) @name)) @definition.macro

(callback
  fun: (atom) @name) @definition.function

; ---- references
(behaviour_attribute
  name: (atom) @name) @reference.inherit

; Other module attributes (`-vsn("1.0").`, `-dialyzer(...)`, `-author(...)`)
(wild_attribute
  name: (attr_name name: (atom) @name)) @reference.decorator

(import_attribute
  module: (atom) @context
  funs: (fa fun: (atom) @name)) @reference.import

(pp_include
  file: (string) @name) @reference.import

(pp_include_lib
  file: (string) @name) @reference.import

(export_attribute
  funs: (fa fun: (atom) @name)) @reference.read

(export_type_attribute
  types: (fa fun: (atom) @name)) @reference.type

(spec
  module: (module name: (atom) @context)?
  fun: (atom) @name) @reference.type

; Types: calls of type names in specs, callbacks, type definitions and record fields,
; down to seven levels (`-spec f([item()]) -> {ok, shop:cart()} | error.`)
(spec
  [(_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))
   (_ (_ (_ (_ (_ (_ (_ (call
                          expr: [(atom) @name
                                 (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))))]) @reference.type

(callback
  [(_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))
   (_ (_ (_ (_ (_ (_ (_ (call
                          expr: [(atom) @name
                                 (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))))]) @reference.type

(type_alias
  [(call
     expr: [(atom) @name
            (remote module: (remote_module module: (_) @context) fun: (atom) @name)])
   (_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))]) @reference.type

(opaque
  [(call
     expr: [(atom) @name
            (remote module: (remote_module module: (_) @context) fun: (atom) @name)])
   (_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))]) @reference.type

(nominal
  [(call
     expr: [(atom) @name
            (remote module: (remote_module module: (_) @context) fun: (atom) @name)])
   (_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))]) @reference.type

(field_type
  [(call
     expr: [(atom) @name
            (remote module: (remote_module module: (_) @context) fun: (atom) @name)])
   (_ (call
        expr: [(atom) @name
               (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))
   (_ (_ (call
           expr: [(atom) @name
                  (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))
   (_ (_ (_ (call
              expr: [(atom) @name
                     (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))
   (_ (_ (_ (_ (call
                 expr: [(atom) @name
                        (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))
   (_ (_ (_ (_ (_ (call
                    expr: [(atom) @name
                           (remote module: (remote_module module: (_) @context) fun: (atom) @name)]))))))
   (_ (_ (_ (_ (_ (_ (call
                       expr: [(atom) @name
                              (remote module: (remote_module module: (_) @context) fun: (atom) @name)])))))))]) @reference.type

(record_expr
  name: (record_name name: (atom) @name)) @reference.type

(record_update_expr
  name: (record_name name: (atom) @name)) @reference.type

(record_field_expr
  name: (record_name name: (atom) @context)
  field: (record_field_name name: (atom) @name)) @reference.read

(record_index_expr
  name: (record_name name: (atom) @context)
  field: (record_field_name name: (atom) @name)) @reference.read

; Record fields in patterns (clause heads, case clauses, left of `=`) are read
(function_clause
  args: (expr_args
    [(record_expr
        name: (record_name name: (atom) @context)
        (record_field name: (atom) @name))
     (_ (record_expr
           name: (record_name name: (atom) @context)
           (record_field name: (atom) @name)))
     (_ (_ (record_expr
              name: (record_name name: (atom) @context)
              (record_field name: (atom) @name))))])) @reference.read

(fun_clause
  args: (expr_args
    [(record_expr
        name: (record_name name: (atom) @context)
        (record_field name: (atom) @name))
     (_ (record_expr
           name: (record_name name: (atom) @context)
           (record_field name: (atom) @name)))
     (_ (_ (record_expr
              name: (record_name name: (atom) @context)
              (record_field name: (atom) @name))))])) @reference.read

(cr_clause
  pat: [(record_expr
           name: (record_name name: (atom) @context)
           (record_field name: (atom) @name))
        (_ (record_expr
              name: (record_name name: (atom) @context)
              (record_field name: (atom) @name)))
        (_ (_ (record_expr
                 name: (record_name name: (atom) @context)
                 (record_field name: (atom) @name))))]) @reference.read

(match_expr
  lhs: [(record_expr
           name: (record_name name: (atom) @context)
           (record_field name: (atom) @name))
        (_ (record_expr
              name: (record_name name: (atom) @context)
              (record_field name: (atom) @name)))
        (_ (_ (record_expr
                 name: (record_name name: (atom) @context)
                 (record_field name: (atom) @name))))]) @reference.read

(record_expr
  name: (record_name name: (atom) @context)
  (record_field name: (atom) @name)) @reference.write

(record_update_expr
  name: (record_name name: (atom) @context)
  (record_field name: (atom) @name)) @reference.write

(call
  expr: (atom) @name) @reference.call

(call
  expr: (remote
    module: (remote_module module: (_) @context)
    fun: (atom) @name)) @reference.call

(internal_fun
  fun: (atom) @name) @reference.read

(external_fun
  module: (module name: (_) @context)
  fun: (atom) @name) @reference.read

((macro_call_expr
  name: (_) @name
  args: (macro_call_args)) @reference.call
  (#not-match? @name "^(MODULE|MODULE_STRING|FILE|LINE|MACHINE|FUNCTION_NAME|FUNCTION_ARITY|OTP_RELEASE)$"))

((macro_call_expr
  name: (_) @name) @reference.read
  (#not-match? @name "^(MODULE|MODULE_STRING|FILE|LINE|MACHINE|FUNCTION_NAME|FUNCTION_ARITY|OTP_RELEASE)$"))
