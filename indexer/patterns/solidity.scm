; Solidity tags: contracts (classes), interfaces, libraries (modules), structs and their members, enums and their values, functions (methods in contracts and interfaces; free functions), modifiers (kind `modifier`), events (`event`), custom errors (`error`), constructors (`constructor`), `receive` and `fallback`, state variables (fields; `constant` ones constants), file-level constants, user-defined value types; calls, `emit`, `revert`, `new`, modifier use (decorators; a capitalised one in a constructor's header is a base constructor call), imports, `using ... for`, types, inheritance, member access, assignments. Earlier patterns win.
; @context: the object of a call or member access (`token.transfer(to, 1)` -> token, `IVault(to).deposit(x)` -> IVault(to)), the source of an import (`import {Context} from "./Context.sol"` -> the quoted path), the qualifier of a type (`IERC20.Permit` -> IERC20).

; ---- definitions
(contract_declaration
  name: (identifier) @name) @definition.class

(interface_declaration
  name: (identifier) @name) @definition.interface

(library_declaration
  name: (identifier) @name) @definition.module

(struct_declaration
  name: (identifier) @name) @definition.struct

(struct_member
  name: (identifier) @name) @definition.field

(enum_declaration
  name: (identifier) @name) @definition.enum

(enum_value) @name @definition.constant

(user_defined_type_definition
  name: (identifier) @name) @definition.type

(function_definition
  name: (identifier) @name) @definition.function

(modifier_definition
  name: (identifier) @name) @definition.modifier

(event_definition
  name: (identifier) @name) @definition.event

(error_declaration
  name: (identifier) @name) @definition.error

(constructor_definition
  "constructor" @name) @definition.method

(fallback_receive_definition
  ["receive" "fallback"] @name) @definition.method

(state_variable_declaration
  "constant"
  name: (identifier) @name) @definition.constant

(state_variable_declaration
  name: (identifier) @name) @definition.field

(constant_variable_declaration
  name: (identifier) @name) @definition.constant

; ---- references
; Imports: `import {A as B, C} from "./x.sol"` names A and C (context the path),
; `import * as M from "./x.sol"` and `import "./x.sol" as M` name M, `import "./x.sol"`
; the quoted path.
(import_directive
  import_name: (identifier) @name
  source: (string) @context) @reference.import

(import_directive
  "*"
  alias: (identifier) @name
  source: (string) @context) @reference.import

(import_directive
  .
  source: (string) @context
  alias: (identifier) @name) @reference.import

(import_directive
  .
  source: (string) @name) @reference.import

; `using SafeMath for uint256;`, `using {add} for Price global;`
(using_directive
  (type_alias
    (identifier) @name .)) @reference.import

(inheritance_specifier
  ancestor: (user_defined_type
    (identifier) @name .)) @reference.inherit

; Modifiers applied to a function; a capitalised name in a constructor's header calls
; the base contract's constructor (`constructor() ERC20("Token")`)
(modifier_invocation
  .
  (identifier) @name
  (#match? @name "^[A-Z]")) @reference.call

(modifier_invocation
  .
  (identifier) @name) @reference.decorator

; Calls: `f(x)`, `token.transfer(to, 1)`, `IVault(to)` (a conversion), `Point({x: 1})`
(call_expression
  function: (expression
    [(identifier) @name
     (member_expression object: (_) @context property: (identifier) @name)])) @reference.call

(emit_statement
  name: (expression
    [(identifier) @name
     (member_expression object: (_) @context property: (identifier) @name)])) @reference.call

(revert_statement
  error: (expression
    [(identifier) @name
     (member_expression object: (_) @context property: (identifier) @name)])) @reference.call

(new_expression
  name: (type_name
    (user_defined_type
      (identifier) @name .))) @reference.call

; Assignment targets, before member reads: `owner = x`, `_balances[to] += v`, `s.x = 1`
([(assignment_expression
   left: (expression
     [(identifier) @name
      (member_expression object: (_) @context property: (identifier) @name)
      (array_access base: (expression [(identifier) @name
                                        (member_expression object: (_) @context property: (identifier) @name)]))]))
  (augmented_assignment_expression
   left: (expression
     [(identifier) @name
      (member_expression object: (_) @context property: (identifier) @name)
      (array_access base: (expression [(identifier) @name
                                        (member_expression object: (_) @context property: (identifier) @name)]))]))] @reference.write)

; Types: a contract, struct, enum or value type where a type goes
(user_defined_type
  (identifier) @context
  .
  (identifier) @name .) @reference.type

(user_defined_type
  .
  (identifier) @name .) @reference.type

; Member access that is not called or assigned: `msg.sender`, `State.Active`
(member_expression
  object: (_) @context
  property: (identifier) @name) @reference.read
