; Terraform tags (also used for `.hcl` files, see hcl.scm): top-level blocks named by
; their labels, qualified as Terraform addresses them where the text allows:
; `resource "aws_vpc" "this"` -> resource aws_vpc.this, `data "aws_ami" "x"` -> resource
; data.aws_ami.x, `module "vpc"` -> module module.vpc, `variable "region"` -> variable
; variable.region, `output "id"` -> output output.id, `locals { name = ... }` -> constant
; locals.name (`var.`/`local.` are not written in the declaring block, so the block type
; is the prefix). `resource` and `output` are kinds of their own.
; References: function calls, `module` sources (imports), variable types, attribute
; reads (`var.region` -> region, context var; `aws_vpc.this.id` -> this, context aws_vpc,
; then id, context this), and top-level assignments of `.tfvars` files (writes).
; The grammar lists the parts of `a.b.c` side by side, with no node for `a.b`: a read's
; context is the part before it.
; Earlier patterns win when two capture the same name.

; ---- definitions

; The block type as a scope: `data`, `module`, `variable`, `output`, `locals` prefix
; what their block defines. (A scope on the same node as the definition, and before it,
; encloses it.)
(config_file
  (body
    (block
      .
      (identifier) @name
      (#any-of? @name "data" "module" "variable" "output" "locals")) @scope))

(config_file
  (body
    (block
      .
      (identifier) @_type
      .
      (string_lit (template_literal) @receiver)
      .
      (string_lit (template_literal) @name)
      .
      (block_start)) @definition.resource
    (#any-of? @_type "resource" "data")))

(config_file
  (body
    (block
      .
      (identifier) @_type
      .
      (string_lit (template_literal) @name)
      .
      (block_start)) @definition.module
    (#eq? @_type "module")))

(config_file
  (body
    (block
      .
      (identifier) @_type
      .
      (string_lit (template_literal) @name)
      .
      (block_start)) @definition.variable
    (#eq? @_type "variable")))

(config_file
  (body
    (block
      .
      (identifier) @_type
      .
      (string_lit (template_literal) @name)
      .
      (block_start)) @definition.output
    (#eq? @_type "output")))

(config_file
  (body
    (block
      .
      (identifier) @_type
      (body
        (attribute
          .
          (identifier) @name) @definition.constant))
    (#eq? @_type "locals")))

; ---- references

; `module "vpc" { source = "./modules/vpc" }`
(block
  .
  (identifier) @_type
  (body
    (attribute
      .
      (identifier) @_source
      (expression
        (literal_value
          (string_lit (template_literal) @name)))))
  (#eq? @_type "module")
  (#eq? @_source "source")) @reference.import

; `variable "x" { type = string }`, `type = list(string)`
(block
  .
  (identifier) @_type
  (body
    (attribute
      .
      (identifier) @_attribute
      (expression
        [(variable_expr (identifier) @name)
         (function_call . (identifier) @name)])))
  (#eq? @_type "variable")
  (#eq? @_attribute "type")) @reference.type

(function_call
  .
  (identifier) @name) @reference.call

; `.tfvars`: `region = "eu-west-1"` sets the variable.
(config_file
  (body
    (attribute
      .
      (identifier) @name) @reference.write))

(expression
  (variable_expr (identifier) @context)
  .
  (get_attr (identifier) @name)) @reference.read

(_
  (get_attr (identifier) @context)
  .
  (get_attr (identifier) @name)) @reference.read

; After an index or a splat: `aws_subnet.private[0].id`, `aws_subnet.private[*].id`.
(expression
  (index)
  .
  (get_attr (identifier) @name)) @reference.read

(full_splat
  .
  (get_attr (identifier) @name)) @reference.read

(attr_splat
  .
  (get_attr (identifier) @name)) @reference.read
