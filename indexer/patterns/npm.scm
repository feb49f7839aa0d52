; package.json: the package a folder tree is (its "name" is what other files import it
; by, `import { x } from "name/sub"`, the folder holding the manifest standing for the
; name); the packages it depends on, as imports by their names.

(document
  (object
    (pair
      key: (string (string_content) @_key)
      value: (string (string_content) @name)) @definition.module
    (#eq? @_key "name")))

(document
  (object
    (pair
      key: (string (string_content) @_section)
      value: (object
        (pair
          key: (string (string_content) @name)) @reference.import))
    (#match? @_section "^(dependencies|devDependencies|peerDependencies|optionalDependencies)$")))
