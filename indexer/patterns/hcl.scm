; HCL files (`.hcl`: Terragrunt, Packer, Nomad, ...) share the Terraform patterns: the
; `variable`, `locals`, `output`, `module` blocks and the references mean the same there,
; and other block types define nothing. The two bundled grammars have the same node types.
; inherits: terraform
