; Groovy tags (also Gradle build scripts): package, classes, interfaces, traits, enums (and constants), methods and functions (`def f()`, `String f()`, Spock features `def "adds numbers"()`, named with their quotes), constructors, fields, script variables; calls (also command calls `println "x"` and calls with a closure `dependencies { }`), imports, types, annotations, extends/implements, member access, assignments. Earlier patterns win.
; The grammar is a loose one: a line is a `command` of `unit`s, keywords are identifiers, and a `{ }` block starts with the unit before it (a class's name, a method's signature). Declarations are recognised by their keywords (predicates), so this file reads more like rules than a grammar's node types.
; @context: the part of a dotted name or call chain just before the name (`compiler.addImport(x)` -> compiler, `import org.acme.Foo` -> org.acme).

; ---- definitions
(command
  .
  (unit . (identifier) @_kw .)
  .
  (unit) @name
  (#eq? @_kw "package")) @definition.package

; `class Foo extends Bar {` (the name before the block) or `class Foo {` (the name
; heading the block), after any modifiers
(command
  (unit . (identifier) @_kw .)
  .
  [(unit . (identifier) @name .)
   (block . (unit . (identifier) @name .))]
  (#eq? @_kw "class")) @definition.class

(command
  (unit . (identifier) @_kw .)
  .
  [(unit . (identifier) @name .)
   (block . (unit . (identifier) @name .))]
  (#eq? @_kw "interface")) @definition.interface

(command
  (unit . (identifier) @_kw .)
  .
  [(unit . (identifier) @name .)
   (block . (unit . (identifier) @name .))]
  (#eq? @_kw "trait")) @definition.trait

(command
  (unit . (identifier) @_kw .)
  .
  [(unit . (identifier) @name .)
   (block . (unit . (identifier) @name .))]
  (#eq? @_kw "enum")) @definition.enum

; `enum Color { RED, GREEN }`: the first line of the body lists the constants
(command
  (unit . (identifier) @_kw .)
  .
  (block
    .
    (unit)
    .
    [(line_comment) (block_comment)]*
    .
    [(command (unit . (identifier) @name @definition.constant .))
     (end_command (unit . (identifier) @name @definition.constant .))])
  (#eq? @_kw "enum"))

; Methods: a block headed by a single call (`greet(String who) {`), after a return type,
; `def` or modifiers (not `new Foo() {`, an anonymous class); Spock features are named by
; a string (`def "adds numbers"() {`; after an annotation with arguments, which the
; grammar cannot read, `def` ends an error node). Constructors have nothing before them: in a class
; body, a capitalised name (`Greeter(String name) {`) tells them from a call taking a
; closure.
; (A line ending the enclosing block is an `end_command`.)
[(command
   (_) @_before
   .
   (block
     .
     (unit . (func . (identifier) @name (arg_block) .) .)))
 (end_command
   (_) @_before
   .
   (block
     .
     (unit . (func . (identifier) @name (arg_block) .) .)))
 (#match? @_before "^[A-Za-z_]")
 (#not-match? @_before "^(new|return|throw|assert|else)$")] @definition.function

[(command
   [(unit) (ERROR)] @_before
   .
   (block
     .
     (string) @name))
 (end_command
   [(unit) (ERROR)] @_before
   .
   (block
     .
     (string) @name))
 (#match? @_before "(^|\\s)(def|void|[A-Z][A-Za-z0-9_.<>]*)$")] @definition.function

(command
  (unit . (identifier) @_kw .)
  (block
    [(command
       .
       (block
         .
         (unit . (func . (identifier) @name (arg_block) .) .)))
     (end_command
       .
       (block
         .
         (unit . (func . (identifier) @name (arg_block) .) .)))] @definition.function)
  (#match? @_kw "^(class|enum)$")
  (#match? @name "^[A-Z]"))

; Abstract methods: `double area()` in the body of an interface, trait or class
(command
  (unit . (identifier) @_kw .)
  (block
    [(command
       (unit)
       .
       (unit . (func . (identifier) @name (arg_block) .) .) .)
     (end_command
       (unit)
       .
       (unit . (func . (identifier) @name (arg_block) .) .) .)] @definition.function)
  (#match? @_kw "^(class|interface|trait)$"))

; Fields: declarations directly in the body of a class, interface, trait or enum
; (`private int count = 0`, `String name`); UPPER_CASE ones are constants
(command
  (unit . (identifier) @_kw .)
  (block
    (command
      (unit)
      .
      (unit . (identifier) @name .)
      .
      (operators) @_eq) @definition.constant)
  (#match? @_kw "^(class|interface|trait|enum)$")
  (#eq? @_eq "=")
  (#match? @name "^[A-Z][A-Z0-9_]*$"))

(command
  (unit . (identifier) @_kw .)
  (block
    (command
      (unit)
      .
      (unit . (identifier) @name .)
      .
      (operators) @_eq) @definition.field)
  (#match? @_kw "^(class|interface|trait|enum)$")
  (#eq? @_eq "="))

(command
  (unit . (identifier) @_kw .)
  (block
    [(command
       (unit)
       .
       (unit . (identifier) @name .) .)
     (end_command
       (unit)
       .
       (unit . (identifier) @name .) .)] @definition.field)
  (#match? @_kw "^(class|interface|trait|enum)$"))

; Script variables: `def greeting = "hi"`, `String name = x`, `def add = { a, b -> }`
(source_file
  (command
    (unit)
    .
    (unit . (identifier) @name .)
    .
    [(operators) @_eq
     (block . (operators) @_eq)]) @definition.variable
  (#eq? @_eq "="))

; ---- references
(decorate
  (identifier) @name) @reference.decorator

; `extends A`, `implements B, C {` (the last one heads the class body)
(command
  (unit . (identifier) @_kw .)
  .
  [(unit (identifier) @name .)
   (block . (unit (identifier) @name .))]
  (#match? @_kw "^(extends|implements)$")) @reference.inherit

(command
  (unit . (identifier) @_kw .)
  .
  (unit)
  .
  (arg_spliter)
  .
  [(unit (identifier) @name .)
   (block . (unit (identifier) @name .))]
  (#match? @_kw "^(extends|implements)$")) @reference.inherit

(command
  (unit . (identifier) @_kw .)
  .
  (unit)
  .
  (arg_spliter)
  .
  (unit)
  .
  (arg_spliter)
  .
  [(unit (identifier) @name .)
   (block . (unit (identifier) @name .))]
  (#match? @_kw "^(extends|implements)$")) @reference.inherit

; Imports: `import a.b.C`, `import static a.B.c` (name C / c, context a.b / a.B)
(command
  .
  (unit . (identifier) @_kw .)
  .
  (unit . (identifier) @_static .)?
  .
  (unit
    .
    (identifier) @context
    (identifier) @context
    .
    (identifier) @name .)
  (#eq? @_kw "import")) @reference.import

(command
  .
  (unit . (identifier) @_kw .)
  .
  (unit . (identifier) @_static .)?
  .
  (unit
    .
    (identifier) @context
    .
    (identifier) @name .)
  (#eq? @_kw "import")) @reference.import

; Assignment targets: `this.name = name`, `count = 0`, `version = '1.0'` (Gradle)
(command
  .
  (unit
    (_) @context
    .
    (identifier) @name .)
  .
  (operators) @_eq
  (#eq? @_eq "=")) @reference.write

(command
  .
  (unit
    .
    (identifier) @name .)
  .
  (operators) @_eq
  (#eq? @_eq "=")) @reference.write

; Calls: `f(x)`, `obj.f(x)`, `new Foo(x)`; command calls with an argument (`println "x"`,
; `implementation 'a:b:1.0'`) or a closure (`dependencies { }`)
(unit
  (_) @context
  .
  (func
    .
    (identifier) @name)) @reference.call

(func
  .
  (identifier) @name) @reference.call

(command
  .
  (unit . (identifier) @name .)
  .
  [(string) (number) (list)]) @reference.call

(command
  .
  (block
    .
    (unit . (identifier) @name .))
  (#not-match? @name "^(static|try|finally|else|do|synchronized)$")) @reference.call

; Types: the type of a declaration (`String name`, `List<Class> names`, a parameter's
; `ClassLoader classLoader`), not its modifiers
(_
  (unit . (identifier) @name .)
  .
  (unit . (identifier) .)
  (#match? @name "^[A-Z]")
  (#not-match? @name "^(import|package)$")) @reference.type

(generics_class
  .
  (identifier) @name) @reference.type

(generics_class
  generics_type: (identifier) @name) @reference.type

; Member access that is not called or assigned: `this.compiler`, `a.b.c` (not the
; parts of a package or import path)
(command
  .
  (unit . (identifier) @_first .)
  (unit
    (_) @context
    .
    (identifier) @name)
  (#not-match? @_first "^(package|import)$")) @reference.read

(command
  .
  (unit
    (_) @context
    .
    (identifier) @name)) @reference.read

[(arg_block (unit (_) @context . (identifier) @name))
 (block (unit (_) @context . (identifier) @name))
 (end_command (unit (_) @context . (identifier) @name))
 (string (unit (_) @context . (identifier) @name))
 (list (unit (_) @context . (identifier) @name))] @reference.read
