; Bash tags: functions (`f() {}`, `function f {}`); commands as calls, `source`/`.` as
; imports of their path argument, variables as reads (`$x`, `${x}`, `$((x + 1))`) and
; writes (assignments, also in `local`/`export`/`declare`; `for` variables).
; Not tagged: variables (universal-ctags does not tag them either; their assignments
; are writes), aliases (the grammar reads `ll=` as one word with its `=`), heredoc labels.
; Earlier patterns win when two capture the same name.

; ---- definitions

(function_definition
  name: (word) @name) @definition.function

; After a syntax error the grammar cannot recover from (nested expansions in strings,
; `"${#${a}[@]}"`), the rest of the file is loose tokens: `f() {` and `function f {`
; there still name a function (the tag spans its name only).
(ERROR
  (word) @name @definition.function
  .
  "("
  .
  ")"
  .
  "{")

(ERROR
  "function"
  .
  (word) @name @definition.function
  .
  ["{" "("])

; ---- references

; `source lib/util.sh`, `. "$DIR/env.sh"`: the path, without the quotes of a string.
(command
  name: (command_name (word) @_source)
  .
  argument: [(word) @name
             (string (_)+ @name)
             (raw_string) @name
             (concatenation) @name]
  (#any-of? @_source "source" ".")) @reference.import

; (`#eq?`-style predicates here: `#match?` decodes the text, and a command word can hold
; invalid UTF-8; `#not-any-of?` is not implemented by the binding.)
((command
  name: (command_name (word) @name)) @reference.call
  (#not-eq? @name "source")
  (#not-eq? @name "."))

; Assignments (`x=1`, `arr[0]=1`, also after `local`/`export`/`declare`) and loop
; variables are writes.
(variable_assignment
  name: [(variable_name) @name
         (subscript name: (variable_name) @name)]) @reference.write

(for_statement
  variable: (variable_name) @name) @reference.write

; Every other variable name is a read: `$x`, `${x:-d}`, `${arr[@]}`, `$((x + 1))`; not
; positional parameters (`$1`). A variable name is word characters, so valid UTF-8.
((variable_name) @name @reference.read
  (#not-match? @name "^[0-9]+$"))
