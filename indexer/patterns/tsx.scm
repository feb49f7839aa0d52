; TSX tags (.tsx): the JSX element names of TSX files, then everything in typescript.scm
; (inherited below). The JSX patterns come first so they win over TypeScript's generic
; member-access pattern on `<Layout.Grid>` names.
; inherits: typescript

; JSX elements: a component used as an element is a call of that component (`<Button />`
; compiles to `createElement(Button)`), so the opening or self-closing tag is a reference of
; kind `call`; the closing tag repeats the name and is a read (TypeScript's catch-all).
; Lower-case names are intrinsic elements (`<div>`), not symbols, and are skipped.
([(jsx_opening_element name: (identifier) @name @reference.skip)
  (jsx_self_closing_element name: (identifier) @name @reference.skip)
  (jsx_closing_element name: (identifier) @name @reference.skip)]
 (#match? @name "^[a-z]"))
(jsx_namespace_name (identifier) @name @reference.skip)

[(jsx_opening_element name: (identifier) @name)
 (jsx_self_closing_element name: (identifier) @name)] @reference.call

[(jsx_opening_element name: (member_expression object: (_) @context property: (property_identifier) @name))
 (jsx_self_closing_element name: (member_expression object: (_) @context property: (property_identifier) @name))] @reference.call
