; Haskell tags: the module (`module Data.Shape where` qualifies every later definition,
; as a package), top-level functions and values (one definition per equation, as
; universal-ctags tags them; a type signature defines nothing of its own, its types are
; references), operators (`(<+>) a b = ...`, `a <+> b = ...`), foreign imports, data
; types and newtypes (type) with their constructors (constant) and record fields
; (field), type synonyms and families (type), pattern synonyms (constant), type
; classes (class) with their method signatures and defaults (methods), and instances
; (a scope named by the instance's type, as a Rust `impl`: `instance Show Shape` makes
; its `show` the method `Shape.show`). Functions of `where`/`let` blocks that take
; parameters are nested functions; other local bindings are left out.
; References: applications (`f x`, `M.lookup k m`, `` x `div` y ``: calls),
; constructors (applied in an expression: calls; in patterns and as values: reads),
; qualified names used as values (reads), record fields (`r.field`: read;
; `r { field = 1 }`, `R { field = 1 }`: write), types (`name` nodes in signatures, data
; declarations, contexts, instance heads and `deriving`: type), superclasses in a
; class's context (inherit), imports (the module, and each name of an import list; not
; `hiding` lists) and the module's export list (reads and types). Code in a CPP
; `#else` branch is not seen: the grammar skips it.
; Earlier patterns win when two capture the same name.
; @context: the module of a qualified name or of an imported name (`Data.Map.lookup`,
; `import Data.Map (lookup)` -> Data.Map), the record of a field access (`s.width` -> s).

; ---- definitions
(header
  module: (module) @name) @definition.package

; Instances scope their methods under the instance's type, named by its head:
; `instance Show Shape` (Shape), `instance Show (Tree a)` (Tree), `instance ToJSON1
; ((,,) a b)` ((,,)), `instance C (f :+: g)` (:+:); a list, tuple or unit type by its
; text (`[a]`, `(a, b)`).
(instance
  patterns: (type_patterns
    .
    [(name) @name
     (qualified id: (name) @name)
     (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)])
     (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)]))
     (apply constructor: (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)])))
     (apply constructor: (apply constructor: (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)]))))
     (parens [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)])
     (parens (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)]))
     (parens (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)])))
     (parens (apply constructor: (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)]))))
     (parens (apply constructor: (apply constructor: (apply constructor: (apply constructor: [(name) @name (qualified id: (name) @name) (prefix_tuple) @name (prefix_id (operator) @name)])))))
     (parens (infix operator: (constructor_operator) @name))
     (list) @name
     (tuple) @name
     (unit) @name])) @scope

(declarations
  (function
    name: [(variable) @name (prefix_id (operator) @name)]) @definition.function)

(declarations
  (function
    (infix operator: [(operator) @name (infix_id (variable) @name)])) @definition.function)

(declarations
  (bind
    name: (variable) @name) @definition.function)

; Functions of `where` and `let` blocks with parameters (nested functions; other local
; names are values)
(local_binds
  (function
    name: [(variable) @name (prefix_id (operator) @name)]
    patterns: (patterns)) @definition.function)

(foreign_import
  signature: (signature name: (variable) @name)) @definition.function

(data_type
  [name: (name) @name
   (infix operator: (constructor_operator) @name)]) @definition.type

(newtype
  name: (name) @name) @definition.type

(type_synomym
  name: (name) @name) @definition.type

(type_family
  name: (name) @name) @definition.type

(data_family
  name: (name) @name) @definition.type

(type_instance
  name: (name) @name) @definition.type

(data_constructor
  constructor: [(prefix name: (constructor) @name)
                (record name: (constructor) @name)
                (infix operator: (constructor_operator) @name)]) @definition.constant

(newtype_constructor
  name: (constructor) @name) @definition.constant

(gadt_constructor
  name: (constructor) @name) @definition.constant

(field
  name: (field_name (variable) @name)) @definition.field

(pattern_synonym
  (equation
    synonym: [(constructor) @name (apply function: (constructor) @name)])) @definition.constant

(class
  name: (name) @name) @definition.class

(class_declarations
  (signature
    name: [(variable) @name (prefix_id (operator) @name)]) @definition.function)

(class_declarations
  (function
    name: [(variable) @name (prefix_id (operator) @name)]) @definition.function)

(class_declarations
  (bind
    name: (variable) @name) @definition.function)

(instance_declarations
  (function
    name: [(variable) @name (prefix_id (operator) @name)]) @definition.function)

(instance_declarations
  (function
    (infix operator: [(operator) @name (infix_id (variable) @name)])) @definition.function)

(instance_declarations
  (bind
    name: (variable) @name) @definition.function)

; ---- references
((import
  module: (module . (module_id) @context (module_id)* @context .)
  names: (import_list
    (import_name [(variable) @name (name) @name (prefix_id (operator) @name)]))) @_import @reference.import
  (#not-match? @_import "hiding"))

(import
  module: (module) @name) @reference.import

(exports
  (export variable: (variable) @name)) @reference.read

(exports
  (export type: (name) @name)) @reference.type

(class
  context: (context
    context: [(apply constructor: (name) @name)
              (tuple (apply constructor: (name) @name))
              (parens (apply constructor: (name) @name))])) @reference.inherit

(projection
  expression: (_) @context
  field: (field_name (variable) @name)) @reference.read

(field_update
  field: (field_name (variable) @name)) @reference.write

; A constructor applied in a pattern (`f (Just x) = ...`, `Left e -> ...`) is matched,
; not called
(_
  pattern: (apply
    function: [(constructor) @name
               (qualified module: (module . (module_id) @context (module_id)* @context .) id: (constructor) @name)
               (apply function: [(constructor) @name
                                 (qualified module: (module . (module_id) @context (module_id)* @context .) id: (constructor) @name)])
               (apply function: (apply function: (constructor) @name))])) @reference.read

(apply
  function: [(variable) @name
             (constructor) @name
             (qualified module: (module . (module_id) @context (module_id)* @context .) id: [(variable) (constructor)] @name)]) @reference.call

(infix
  operator: (infix_id
    [(variable) @name
     (qualified module: (module . (module_id) @context (module_id)* @context .) id: (variable) @name)])) @reference.call

(qualified
  module: (module . (module_id) @context (module_id)* @context .)
  id: (name) @name) @reference.type

(qualified
  module: (module . (module_id) @context (module_id)* @context .)
  id: (_) @name) @reference.read

(constructor) @name @reference.read

(name) @name @reference.type
