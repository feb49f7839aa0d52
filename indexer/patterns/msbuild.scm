; MSBuild project files (.csproj, .props, .targets): the namespace a C# project's code is
; in by default (`<RootNamespace>`) and its global usings (`<Using Include="Acme.Shop" />`,
; `Static="true"` for a class): every C# file under the project's folder uses them as if
; it began with `global using Acme.Shop;`. A `Condition` (on the item or its
; `<ItemGroup>`) is not evaluated, so a conditional using is left out rather than assumed.
; The name keeps the attribute value's quotes (XML's grammar has no node for the text
; inside them); the resolver reads it without.

(element
  (STag (Name) @_tag)
  (content (CharData) @name) @definition.module
  (#eq? @_tag "RootNamespace"))

(element
  (STag . (Name) @_group .)
  (content
    (element
      [(EmptyElemTag . (Name) @_tag . (Attribute (Name) @_attribute (AttValue) @name) .)
       (EmptyElemTag
         . (Name) @_tag
         . (Attribute (Name) @_attribute (AttValue) @name)
         . (Attribute (Name) @_static) .)
       (STag . (Name) @_tag . (Attribute (Name) @_attribute (AttValue) @name) .)]) @reference.import)
  (#eq? @_group "ItemGroup")
  (#eq? @_tag "Using")
  (#eq? @_attribute "Include")
  (#any-of? @_static "Static"))
