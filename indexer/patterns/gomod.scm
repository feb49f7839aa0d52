; go.mod: the module a folder tree is (its path names the packages below it: the module
; path + a folder is what Go files import); the modules it requires, replaces, excludes.
; A requirement's name is the module path, as a Go import's name is the package path.

(module_directive
  (module_path) @name) @definition.module

(require_spec
  (module_path) @name) @reference.import

; `replace old => new`: the old module path, and the new one unless it is a folder
(replace_spec
  (module_path) @name) @reference.import

(exclude_spec
  (module_path) @name) @reference.import
